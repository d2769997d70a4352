/**
 * The folders of a repository's git metadata whose contents change with its state: its git dir (HEAD, index,
 * an operation's files), the shared git dir (packed-refs, config), every folder of refs and each linked
 * worktree's git dir. git replaces these files by renaming a lock file over them, so a folder's mtime moves
 * with every change: the daemon watches these folders, and a reader compares their mtimes to tell cheaply
 * that nothing in git changed since a state was read.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "../util/path.ts";
import { listTree } from "../util/fs.ts";

export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

export async function metadataDirectories(location: GitDirs): Promise<string[]> {
  const dirs = new Set([location.gitDir, location.commonDir]);
  for (const dir of (await listTree(join(location.commonDir, "refs"))).dirs) dirs.add(dir);
  for (const dir of await childDirectories(join(location.commonDir, "worktrees"))) dirs.add(dir);
  return [...dirs];
}

/**
 * Each folder's mtime in milliseconds (null when it is gone), as a map that compares with JSON equality. The
 * map has no prototype: an object keyed by paths is unlike any other, and the runtime would otherwise make a
 * hidden class for each key of each one (about 1 MB at 1,000 repositories, kept for as long as the marks).
 */
export async function metadataMarks(location: GitDirs): Promise<Record<string, number | null>> {
  const dirs = (await metadataDirectories(location)).sort();
  const marks = pathKeyed();
  for (const dir of dirs) {
    marks[dir] = await localFs.stat(dir).then((s) => s.mtime?.getTime() ?? null, () => null);
  }
  return marks;
}

/** An empty object for paths as keys (see metadataMarks). */
export function pathKeyed(): Record<string, number | null> {
  return Object.create(null);
}

async function childDirectories(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for (const entry of await localFs.readDir(dir)) if (entry.isDirectory) found.push(join(dir, entry.name));
  } catch {
    // None.
  }
  return found;
}
