/** Telling a linked worktree from a repository of its own, without running git. */

import * as localFs from "../util/local_fs.ts";

/**
 * The main worktree of the linked worktree at `worktree` (`git worktree add`), as a real path; null for anything
 * else (a main worktree, a submodule, no repository). Its `.git` file names a git dir whose `commondir` leads
 * to the repository's own `.git`. Read without git: the pre-push hook asks on every push and must stay fast.
 */
export async function mainWorktreeOf(worktree: string): Promise<string | null> {
  try {
    // A main worktree's `.git` is a folder: asked first, since a failed read costs more than a stat.
    if (!(await localFs.lstat(`${worktree}/.git`)).isFile) return null;
    const pointer = /^gitdir: (.+)$/m.exec(await localFs.readTextFile(`${worktree}/.git`))?.[1]?.trim();
    if (!pointer) return null;
    const gitDir = pointer.startsWith("/") ? pointer : `${worktree}/${pointer}`;
    const common = (await localFs.readTextFile(`${gitDir}/commondir`)).trim();
    const commonDir = await localFs.realPath(common.startsWith("/") ? common : `${gitDir}/${common}`);
    return commonDir.endsWith("/.git") ? await localFs.realPath(commonDir.slice(0, -"/.git".length)) : null;
  } catch {
    return null;
  }
}
