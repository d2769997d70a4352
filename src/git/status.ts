/** Parser for `git status --porcelain=v2 --branch --show-stash -z`: the machine format, never human output. */

import { type ChangeEntry, CHANGES_CAP, type ChangeSummary, emptyChanges } from "../state/repo_status.ts";
import { decodeName } from "../util/escape.ts";

export interface PorcelainStatus {
  /** Commit sha; null on an unborn branch. */
  oid: string | null;
  /** Branch name; null when detached. */
  branch: string | null;
  upstream: string | null;
  /** Present only when the upstream exists (not "gone"). */
  ahead: number | null;
  behind: number | null;
  stashes: number;
  changes: ChangeSummary;
}

export class PorcelainParseError extends Error {}

/**
 * Reads git's output as bytes where it can: a path that is not UTF-8 then keeps every byte, as `\xNN`,
 * instead of turning into replacement characters that name no file.
 */
export function parsePorcelainV2(output: string | Uint8Array, cap = CHANGES_CAP): PorcelainStatus {
  const result: PorcelainStatus = {
    oid: null,
    branch: null,
    upstream: null,
    ahead: null,
    behind: null,
    stashes: 0,
    changes: emptyChanges(),
  };
  const fields = typeof output === "string" ? output.split("\0") : splitFields(output);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field === "") continue;
    if (field.startsWith("# ")) {
      readHeader(field.slice(2), result);
      continue;
    }
    const kind = field[0];
    switch (kind) {
      case "1":
        addChange(result.changes, tracked(field, 8), cap);
        break;
      case "2": {
        const entry = tracked(field, 9);
        const from = fields[++i];
        if (from === undefined) {
          throw new PorcelainParseError(`Rename entry without its source path: "${field}"`);
        }
        addChange(result.changes, { ...entry, from }, cap);
        break;
      }
      case "u":
        addChange(result.changes, tracked(field, 10), cap, true);
        break;
      case "?":
        addChange(result.changes, { code: "??", path: field.slice(2) }, cap);
        break;
      case "!":
        break; // ignored files are not changes
      default:
        throw new PorcelainParseError(`Unknown porcelain v2 entry: "${field.slice(0, 40)}"`);
    }
  }
  return result;
}

/** NUL-separated fields, each decoded on its own so one odd name cannot shift the others. */
export function splitFields(bytes: Uint8Array): string[] {
  const fields: string[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0); end >= 0; end = bytes.indexOf(0, start)) {
    fields.push(decodeName(bytes.subarray(start, end)));
    start = end + 1;
  }
  if (start < bytes.length) fields.push(decodeName(bytes.subarray(start)));
  return fields;
}

function readHeader(header: string, into: PorcelainStatus): void {
  const space = header.indexOf(" ");
  const key = space < 0 ? header : header.slice(0, space);
  const value = space < 0 ? "" : header.slice(space + 1);
  switch (key) {
    case "branch.oid":
      into.oid = value === "(initial)" ? null : value;
      break;
    case "branch.head":
      into.branch = value === "(detached)" ? null : value;
      break;
    case "branch.upstream":
      into.upstream = value;
      break;
    case "branch.ab": {
      const match = /^\+(\d+) -(\d+)$/.exec(value);
      if (!match) throw new PorcelainParseError(`Cannot read ahead/behind header: "${value}"`);
      into.ahead = Number(match[1]);
      into.behind = Number(match[2]);
      break;
    }
    case "stash":
      into.stashes = Number(value) || 0;
      break;
      // Other headers are informational; newer git versions may add more.
  }
}

/** A tracked-file entry: `<kind> <XY> ...` with the path as the last of `pathIndex + 1` space-separated fields. */
function tracked(field: string, pathIndex: number): ChangeEntry {
  const parts = field.split(" ");
  if (parts.length <= pathIndex) throw new PorcelainParseError(`Truncated porcelain v2 entry: "${field}"`);
  const code = parts[1]!;
  // The path may itself contain spaces: it is everything after the fixed fields.
  const path = parts.slice(pathIndex).join(" ");
  return { code, path };
}

function addChange(changes: ChangeSummary, entry: ChangeEntry, cap: number, conflict = false): void {
  if (entry.code === "??") changes.untracked++;
  else if (conflict) changes.conflicted++;
  else {
    if (entry.code[0] !== ".") changes.staged++;
    if (entry.code[1] !== ".") changes.unstaged++;
  }
  if (changes.entries.length < cap) changes.entries.push(entry);
  else changes.truncated = true;
}

/** Reads `%(upstream:track,nobracket)`: "ahead 2", "behind 1", "ahead 2, behind 1", "gone" or "". */
export function parseTrack(track: string): { ahead: number; behind: number; gone: boolean } {
  if (track === "gone") return { ahead: 0, behind: 0, gone: true };
  const ahead = /ahead (\d+)/.exec(track);
  const behind = /behind (\d+)/.exec(track);
  return { ahead: ahead ? Number(ahead[1]) : 0, behind: behind ? Number(behind[1]) : 0, gone: false };
}
