/**
 * What the user's own changes look like: each status entry outside the update, with a fingerprint of its
 * file. Taken before and after a move, two equal snapshots show the move touched nothing of the user's.
 * Files are hashed up to a budget; past it (a build that left thousands of untracked files) the size,
 * modification time and inode stand in for the content.
 */

import { join } from "node:path";
import { changesInTheWay, type LocalChange } from "./local_changes.ts";
import { fileName, type PathKey } from "./quoted_path.ts";

export type Snapshot = Map<PathKey, string>;

const HASHED_FILES = 200;
const HASHED_BYTES = 1 << 20;

export async function snapshotOutside(
  worktree: string,
  changes: readonly LocalChange[],
  incoming: ReadonlySet<PathKey>,
): Promise<Snapshot> {
  const inside = new Set(changesInTheWay(incoming, changes));
  const snapshot: Snapshot = new Map();
  let hashed = 0;
  for (const change of changes) {
    // Index flags (skip-worktree, assume-unchanged) are not the worktree's, and read-tree -m keeps them.
    if (inside.has(change) || change.flagged) continue;
    const previous = snapshot.get(change.path);
    let print = change.line;
    if (change.kind !== "ignored" && previous === undefined) {
      print += ` ${await fingerprint(worktree, change.path, hashed++ < HASHED_FILES)}`;
    }
    snapshot.set(change.path, previous === undefined ? print : `${previous}\n${print}`);
  }
  return snapshot;
}

async function fingerprint(worktree: string, key: PathKey, hash: boolean): Promise<string> {
  const name = fileName(key);
  if (name === null) return "unnamed";
  const path = join(worktree, name);
  try {
    const info = await Deno.lstat(path);
    if (info.isSymlink) return `link:${await Deno.readLink(path)}`;
    if (info.isDirectory) return "dir";
    if (hash && info.size <= HASHED_BYTES) {
      const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
      return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    }
    return `stat:${info.size}:${info.mtime?.getTime()}:${info.ino}:${info.mode}`;
  } catch {
    return "absent";
  }
}

/** The first path whose entry or content differs between two snapshots, or null. */
export function firstDifference(before: Snapshot, after: Snapshot): PathKey | null {
  for (const [path, print] of before) if (after.get(path) !== print) return path;
  for (const path of after.keys()) if (!before.has(path)) return path;
  return null;
}
