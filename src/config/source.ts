/**
 * The YAML side of the config: parse the text, refuse what is not a mapping, and map a key path back to the
 * line it was written on so every error can point at it.
 */

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node, Range } from "yaml";
import { ConfigError } from "../errors.ts";

/** A key path such as `["repositories", 2, "name"]`. */
export type KeyPath = readonly (string | number)[];

/** 1-based line of the key (or list item) at `path`, or undefined when the file has no such key. */
export type Locate = (path: KeyPath) => number | undefined;

export interface ConfigSource {
  /** Plain data as the YAML describes it; a mapping at the top level. */
  raw: Record<string, unknown>;
  locate: Locate;
}

/** Parses config text. Throws ConfigError for syntax errors, an empty file, or a top level that is no mapping. */
export function parseConfigSource(text: string, file: string): ConfigSource {
  const { doc, lineCounter } = parseYaml(text, file);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError(file, 'the file is empty; expected a mapping such as "root: ~/Workspace"');
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? "a list" : "a single value";
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? 0).line;
    throw new ConfigError(file, `expected a mapping of keys at the top level, got ${kind}`, undefined, line);
  }
  const raw = doc.toJS() as Record<string, unknown>;
  return { raw, locate: locator(doc, lineCounter) };
}

/** Parses YAML, keeping comments and positions. Throws ConfigError for the first syntax error. */
export function parseYaml(text: string, file: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lineCounter.linePos(syntax.pos[0]);
    const reason = syntax.message.split("\n")[0];
    const detail = `YAML syntax error at line ${at.line}, column ${at.col}: ${reason}`;
    throw new ConfigError(file, detail, undefined, at.line, { cause: syntax });
  }
  return { doc, lineCounter };
}

/** Finds the node at a key path and returns the line of its key (for mappings) or of the item (for lists). */
export function locator(doc: Document, lineCounter: LineCounter): Locate {
  const lineOf = (range: Range | null | undefined) => range ? lineCounter.linePos(range[0]).line : undefined;
  return (path) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) =>
          isScalar(item.key) && String(item.key.value) === String(segment)
        );
        if (!pair) return undefined;
        line = lineOf((pair.key as Node).range);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) return undefined;
        line = lineOf((item as Node | null)?.range);
        node = item;
      } else {
        return undefined;
      }
    }
    return line ?? lineOf((doc.contents as Node | null)?.range);
  };
}
