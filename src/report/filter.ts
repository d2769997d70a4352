/** `--host` and `--repo` that match nothing are a mistake worth saying, not an empty table. */

import { GitargusError } from "../errors.ts";
import { matchesRepo } from "../config/repository_name.ts";

/** A filter named something that does not exist; exit 1 like any failed look-up. */
export class NoMatchError extends GitargusError {}

const LISTED = 12;

/** Throws when `wanted` is given and none of `known` matches it. */
export function requireMatch(
  what: "host" | "repository",
  wanted: string | undefined,
  known: readonly string[],
): void {
  if (wanted === undefined) return;
  const matches = what === "host" ? known.includes(wanted) : known.some((name) => matchesRepo(name, wanted));
  if (matches) return;
  const names = [...new Set(known)].sort();
  const listed = names.length === 0
    ? "none recorded yet"
    : names.slice(0, LISTED).join(", ") + (names.length > LISTED ? `, … (${names.length} in all)` : "");
  throw new NoMatchError(`no ${what} named ${JSON.stringify(wanted)}; known: ${listed}`);
}
