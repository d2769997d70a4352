/**
 * A remote's remote-tracking refs read from the files git keeps them in, without running git. The relay asks
 * every 20 ms while a push is in flight, on the machine that is pushing: a git process each time competed with
 * the push for the processor. Null where the layout is not the plain one (a linked worktree's `.git` file,
 * the reftable format): the caller then asks git.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "../util/path.ts";

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** `refs/remotes/<remote>/...` → sha, for the repository whose worktree is at `worktree`. */
export async function readTrackingRefs(
  worktree: string,
  remote: string,
): Promise<Map<string, string> | null> {
  const gitDir = join(worktree, ".git");
  try {
    if (!(await localFs.lstat(gitDir)).isDirectory) return null;
    if (await localFs.lstat(join(gitDir, "reftable")).then(() => true, () => false)) return null;
    const prefix = `refs/remotes/${remote}/`;
    // Loose refs first: git writes a packed-refs file before it deletes the loose refs it packed, so a ref
    // being packed meanwhile is found in one or the other; a loose ref is the newer where both have it.
    const loose = new Map<string, string>();
    await readLoose(join(gitDir, prefix), prefix, loose);
    const refs = new Map<string, string>();
    const packed = await localFs.readTextFile(join(gitDir, "packed-refs")).catch(() => "");
    for (const line of packed.split("\n")) {
      const space = line.indexOf(" ");
      const sha = line.slice(0, space);
      const name = line.slice(space + 1);
      if (space > 0 && name.startsWith(prefix) && OBJECT_ID.test(sha)) refs.set(name, sha);
    }
    for (const [name, sha] of loose) refs.set(name, sha);
    return refs;
  } catch {
    return null;
  }
}

async function readLoose(dir: string, prefix: string, into: Map<string, string>): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await localFs.readDir(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await readLoose(path, `${prefix}${entry.name}/`, into);
    else if (entry.isFile && !entry.name.endsWith(".lock")) {
      // A symbolic ref (`origin/HEAD`) names another ref instead of an object: not a branch's position.
      const sha = (await localFs.readTextFile(path)).trim();
      if (OBJECT_ID.test(sha)) into.set(prefix + entry.name, sha);
    }
  }
}
