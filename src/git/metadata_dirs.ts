/**
 * The folders of a repository's git metadata whose contents change with its state: its git dir (HEAD, index,
 * an operation's files), the shared git dir (packed-refs, config), every folder of refs and each linked
 * worktree's git dir. git replaces these files by renaming a lock file over them, so a folder's mtime moves
 * with every change: the daemon watches these folders, and a reader compares their mtimes to tell cheaply
 * that nothing in git changed since a state was read.
 */

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

/** Each folder's mtime in milliseconds (null when it is gone), as a map that compares with JSON equality. */
export async function metadataMarks(location: GitDirs): Promise<Record<string, number | null>> {
  const dirs = (await metadataDirectories(location)).sort();
  const times = await Promise.all(
    dirs.map((dir) => Deno.stat(dir).then((s) => s.mtime?.getTime() ?? null, () => null)),
  );
  return Object.fromEntries(dirs.map((dir, i) => [dir, times[i] ?? null]));
}

async function childDirectories(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) found.push(join(dir, entry.name));
  } catch {
    // None.
  }
  return found;
}
