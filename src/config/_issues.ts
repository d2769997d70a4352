/** Turns zod issues into one-line details a user can act on. Internal to src/config. */

import { closest } from "../util/typo.ts";
import { z } from "zod";
import type { KeyPath } from "./source.ts";

export interface Problem {
  path: (string | number)[];
  detail: string;
}

/** A value as it would be written, shortened when long: `"machine"`. */
export function quote(value: unknown): string {
  const shown = typeof value === "string" && value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown) ?? String(value);
}

/** The kind of a value in words, with the value itself when it is short: `a string ("yes")`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `a string (${quote(value)})`;
    case "number":
      return `a number (${value})`;
    case "boolean":
      return `a boolean (${value})`;
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** One problem per issue, or one per unknown key so each gets its own line. */
export function issueDetail(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType): Problem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schemaAt(schema, path));
      return issue.keys.map((key) => {
        const suggestion = closest(key, known);
        const hint = suggestion ? `; did you mean "${suggestion}"?` : "";
        return { path: [...path, key], detail: `unknown key "${key}"${hint}` };
      });
    }
    case "invalid_union": {
      // Pick the alternative the value was meant for: the one that failed deeper than its own type check.
      const meant = issue.errors.find((branch) =>
        branch.some((inner) => inner.path.length > 0 || inner.code !== "invalid_type")
      );
      const inner = meant?.[0];
      if (inner) {
        return issueDetail({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, raw, schema);
      }
      return [{ path, detail: issue.message }];
    }
    case "invalid_type":
      if (valueAt(raw, path) === undefined) {
        return [{ path, detail: `missing required key "${String(path.at(-1))}"` }];
      }
      return [{ path, detail: issue.message }];
    default:
      return [{ path, detail: issue.message }];
  }
}

function valueAt(raw: unknown, path: KeyPath): unknown {
  let value = raw;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The schema describing the value at `path`, looking through optional, default and union wrappers. */
function schemaAt(schema: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodUnion) {
      current = (current.options as z.ZodType[]).map(unwrap).find((option) =>
        typeof segment === "number" ? option instanceof z.ZodArray : option instanceof z.ZodObject
      );
    }
    if (current instanceof z.ZodObject && typeof segment === "string") {
      current = unwrap((current.shape as Record<string, z.ZodType>)[segment]);
    } else if (current instanceof z.ZodArray && typeof segment === "number") {
      current = unwrap(current.element as z.ZodType);
    } else {
      return undefined;
    }
  }
  if (current instanceof z.ZodUnion) {
    return (current.options as z.ZodType[]).map(unwrap).find((option) => option instanceof z.ZodObject);
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (
    current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function knownKeys(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
