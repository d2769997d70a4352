/**
 * Local changes of every kind on the paths an update brings, not only those git would refuse to overwrite:
 * staged, unstaged, deleted (git would recreate it), mode or type changed, conflicted, untracked or ignored
 * files in the way (at the path, above it, or below it), and entries git was told not to look at
 * (skip-worktree, assume-unchanged). Paths are compared as bytes (see quoted_path.ts).
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { join } from "node:path";
import {
  fileName,
  parentDirectories,
  type PathKey,
  QUOTE_PATHS,
  readPathList,
  readQuotedPath,
  showPath,
} from "./quoted_path.ts";

export interface LocalChange {
  path: PathKey;
  kind: string;
  /** The status line as git printed it: two equal lines mean an unchanged entry. */
  line: string;
  /** From the index's flags (`ls-files -v`), not from `git status`. */
  flagged?: true;
}

/** Paths that differ between two commits, renames split into a deletion and an addition. */
export async function incomingPaths(
  runner: GitRunner,
  location: RepoLocation,
  from: string,
  to: string,
): Promise<Set<PathKey>> {
  const { stdout } = await runner.run(
    [...QUOTE_PATHS, "diff-tree", "-r", "--name-only", "--no-renames", "--no-commit-id", from, to],
    { cwd: location.path },
  );
  return new Set(readPathList(stdout));
}

/** Every entry `git status` reports, ignored files included, plus entries flagged in the index. */
export async function readLocalChanges(
  runner: GitRunner,
  location: RepoLocation,
  env?: Record<string, string>,
): Promise<LocalChange[]> {
  const [status, flagged] = await Promise.all([
    readStatusChanges(runner, location, env),
    runner.run([...QUOTE_PATHS, "ls-files", "-v"], options(location, env)),
  ]);
  const entries = parseFlaggedEntries(flagged.stdout);
  const sparse = entries.some((e) => e.kind === "skip-worktree") && await sparseCheckout(runner, location);
  return [...status, ...(sparse ? await withoutSparseAbsentees(location, entries) : entries)];
}

async function sparseCheckout(runner: GitRunner, location: RepoLocation): Promise<boolean> {
  const { stdout } = await runner.run(["config", "--type=bool", "--get", "core.sparseCheckout"], {
    cwd: location.path,
    allowFailure: true,
  });
  return stdout.trim() === "true";
}

/**
 * In a sparse checkout every path outside the sparse set is skip-worktree and absent: that is the checkout's
 * shape, not the user's change, and `read-tree -m -u` updates such entries in the index only. A skip-worktree
 * file that exists on disk (set by hand, or put there by the user) still counts.
 */
async function withoutSparseAbsentees(
  location: RepoLocation,
  entries: LocalChange[],
): Promise<LocalChange[]> {
  const kept: LocalChange[] = [];
  for (const entry of entries) {
    const name = entry.kind === "skip-worktree" ? fileName(entry.path) : null;
    const present = name === null ||
      await Deno.lstat(join(location.path, name)).then(() => true, () => false);
    if (present) kept.push(entry);
  }
  return kept;
}

/** The `git status` entries alone. */
export async function readStatusChanges(
  runner: GitRunner,
  location: RepoLocation,
  env?: Record<string, string>,
): Promise<LocalChange[]> {
  const { stdout } = await runner.run(
    [...QUOTE_PATHS, "status", "--porcelain=v2", "--untracked-files=all", "--ignored=matching"],
    options(location, env),
  );
  return parseStatusLines(stdout);
}

function options(location: RepoLocation, env?: Record<string, string>) {
  return { cwd: location.path, timeoutMs: 120_000, ...(env ? { env } : {}) };
}

/** `git status --porcelain=v2` without -z, paths C-quoted. */
export function parseStatusLines(output: string): LocalChange[] {
  const changes: LocalChange[] = [];
  for (const line of output.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const fields = line.split(" ");
    switch (line[0]) {
      case "1":
        changes.push({ path: readQuotedPath(fields.slice(8).join(" ")), kind: trackedKind(fields), line });
        break;
      case "2": {
        const [to = "", from = ""] = fields.slice(9).join(" ").split("\t");
        changes.push({ path: readQuotedPath(to), kind: "renamed", line });
        changes.push({ path: readQuotedPath(from), kind: "renamed away", line });
        break;
      }
      case "u":
        changes.push({ path: readQuotedPath(fields.slice(10).join(" ")), kind: "conflicted", line });
        break;
      case "?":
        changes.push({ path: trimSlash(readQuotedPath(line.slice(2))), kind: "untracked", line });
        break;
      case "!":
        changes.push({ path: trimSlash(readQuotedPath(line.slice(2))), kind: "ignored", line });
        break;
    }
  }
  return changes;
}

function trackedKind(fields: string[]): string {
  const [, xy = "..", , mHead, mIndex, mWork] = fields;
  if (xy[1] === "D") return "deleted";
  if (xy.includes("T")) return "type changed";
  if (xy[1] === "A") return "intent to add";
  if (mWork !== "000000" && (mHead !== mIndex || mIndex !== mWork)) return "mode changed";
  if (xy[0] !== ".") return "staged";
  return "modified";
}

/** `git ls-files -v`: "S" marks skip-worktree, a lower-case tag assume-unchanged, "M" an unmerged entry. */
export function parseFlaggedEntries(output: string): LocalChange[] {
  const changes: LocalChange[] = [];
  for (const line of output.split("\n")) {
    const tag = line[0];
    if (!tag || tag === "H" || line[1] !== " ") continue;
    const kind = tag === "S" || tag === "s"
      ? "skip-worktree"
      : tag === "M"
      ? "conflicted"
      : tag === tag.toLowerCase()
      ? "assume-unchanged"
      : `flagged ${tag}`;
    changes.push({ path: readQuotedPath(line.slice(2)), kind, line, flagged: true });
  }
  return changes;
}

function trimSlash(key: PathKey): PathKey {
  return key.endsWith("/") ? key.slice(0, -1) : key;
}

/** Changes at an incoming path, at a directory holding one, or below an incoming path (a file in the way). */
export function changesInTheWay(
  incoming: ReadonlySet<PathKey>,
  changes: readonly LocalChange[],
): LocalChange[] {
  const incomingDirs = new Set<PathKey>();
  for (const path of incoming) for (const dir of parentDirectories(path)) incomingDirs.add(dir);
  return changes.filter((change) =>
    incoming.has(change.path) || incomingDirs.has(change.path) ||
    parentDirectories(change.path).some((dir) => incoming.has(dir))
  );
}

/** "a.txt (modified), b/ (untracked) and 3 more": the first few, so a note stays one line. */
export function describeChanges(changes: readonly LocalChange[], shown = 3): string {
  const unique = new Map<PathKey, LocalChange>();
  for (const change of changes) if (!unique.has(change.path)) unique.set(change.path, change);
  const list = [...unique.values()];
  const named = list.slice(0, shown).map((c) => `${showPath(c.path)} (${c.kind})`).join(", ");
  return list.length > shown ? `${named} and ${list.length - shown} more` : named;
}
