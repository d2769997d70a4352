/**
 * Puts the incoming paths back as they were, after a move that stopped partway or was called off. Before a
 * move every incoming path was verified free of local changes, so a file that now holds the target's version
 * was written by the move: it is checked out again from the user's index (which still holds the old version),
 * or removed when the old commit did not have it. A file that holds neither version was changed by the user
 * while the move ran: it is left alone, and so reported as left over.
 */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { gitComplaint } from "./git_complaint.ts";
import { changesInTheWay, type LocalChange, readStatusChanges } from "./local_changes.ts";
import { fileName, type PathKey, QUOTE_PATHS, readQuotedPath } from "./quoted_path.ts";

/** Past this many files a failing restore stops trying them one by one: the rest is left for the user. */
const ONE_BY_ONE = 100;

export interface Restored {
  /** What is still different on the incoming paths; empty when the worktree is as it was. */
  left: LocalChange[];
  /** git's complaint while restoring, if any. */
  problem: string | null;
}

export async function restoreIncoming(
  runner: GitRunner,
  location: RepoLocation,
  move: { from: string; to: string; incoming: ReadonlySet<PathKey> },
): Promise<Restored> {
  // The user's index, not a lock copy: it still holds what HEAD had before the move.
  const env = { GIT_INDEX_FILE: join(location.gitDir, "index") };
  const [before, after] = await Promise.all([
    blobs(runner, location, move.from),
    blobs(runner, location, move.to),
  ]);
  const present: Array<{ key: PathKey; name: string }> = [];
  const checkOut: string[] = [];
  let problem: string | null = null;
  for (const key of move.incoming) {
    const name = fileName(key);
    if (name === null || name.includes("\n")) {
      problem ??= "a path git cannot be given by name";
      continue;
    }
    const info = await Deno.lstat(join(location.path, name)).catch(() => null);
    if (info === null) {
      if (before.has(key)) checkOut.push(name);
    } else if (info.isFile) present.push({ key, name });
    else if (info.isSymlink && before.has(key)) checkOut.push(name);
  }
  const hashes = await hashFiles(runner, location, present.map((p) => p.name));
  for (const [i, { key, name }] of present.entries()) {
    const hash = hashes[i];
    if (hash === undefined || hash === before.get(key) || hash !== after.get(key)) continue;
    if (before.has(key)) checkOut.push(name);
    else await Deno.remove(join(location.path, name)).catch(() => {});
  }
  const checkOutEach = (names: string[]) =>
    runner.run(["checkout-index", "-q", "-f", "--stdin", "-z"], {
      cwd: location.path,
      env,
      allowFailure: true,
      timeoutMs: 120_000,
      stdin: names.map((n) => `${n}\0`).join(""),
    });
  // git gives up at the first file it cannot write (a failing filter): then each file gets its own chance.
  if (checkOut.length > 0 && (await checkOutEach(checkOut)).code !== 0) {
    for (const name of checkOut.slice(0, ONE_BY_ONE)) {
      const result = await checkOutEach([name]);
      if (result.code !== 0) problem ??= gitComplaint(result.stderr);
    }
  }
  const left = changesInTheWay(move.incoming, await readStatusChanges(runner, location, env))
    .filter((c) => move.incoming.has(c.path));
  return { left, problem };
}

/** Path to blob id of every file in a commit. */
async function blobs(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
): Promise<Map<PathKey, string>> {
  const { stdout } = await runner.run([...QUOTE_PATHS, "ls-tree", "-r", "--full-tree", commit], {
    cwd: location.path,
    timeoutMs: 120_000,
  });
  const map = new Map<PathKey, string>();
  for (const line of stdout.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    map.set(readQuotedPath(line.slice(tab + 1)), line.slice(0, tab).split(" ")[2] ?? "");
  }
  return map;
}

/** The blob id each file would get if added (its filters applied); undefined where git could not read it. */
async function hashFiles(
  runner: GitRunner,
  location: RepoLocation,
  names: string[],
): Promise<(string | undefined)[]> {
  if (names.length === 0) return [];
  const result = await runner.run(["hash-object", "--stdin-paths"], {
    cwd: location.path,
    allowFailure: true,
    timeoutMs: 120_000,
    stdin: names.map((n) => `${n}\n`).join(""),
  });
  const lines = result.stdout.split("\n");
  // A failure (a clean filter that cannot run) leaves the rest unknown: unknown files are left alone.
  return names.map((_, i) => /^[0-9a-f]{40,64}$/.test(lines[i] ?? "") ? lines[i] : undefined);
}
