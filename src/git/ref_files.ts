/**
 * Refs read from the files git keeps them in (loose ref files, packed-refs), without running git. `status`
 * reads the local branches' names this way, sparing a `for-each-ref` for a repository with one branch; the
 * outbox relay reads a remote's remote-tracking refs every 20 ms while a push is in flight, on the machine
 * that is pushing, where a git process each time competed with the push. Null wherever git keeps refs in a
 * way read here only by git (reftable) or the files cannot be read: the caller then asks git.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "../util/path.ts";

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Every ref below `prefix` (`refs/heads/`) in the shared git dir, full name → what its file holds: an object
 * id, or `ref: <name>` for a symbolic ref. A folder for the prefix that does not exist holds no refs.
 */
export async function refsFromFiles(commonDir: string, prefix: string): Promise<Map<string, string> | null> {
  if (await localFs.stat(join(commonDir, "reftable")).then(() => true, () => false)) return null;
  try {
    // Loose refs first: git writes a packed-refs file before it deletes the loose refs it packed, so a ref
    // being packed meanwhile is found in one or the other; a loose ref is the newer where both have it.
    const loose = new Map<string, string>();
    await readLoose(join(commonDir, prefix), prefix, loose);
    const refs = new Map<string, string>();
    const packed = await localFs.readTextFile(join(commonDir, "packed-refs")).catch(() => "");
    for (const line of packed.split("\n")) {
      const space = line.indexOf(" ");
      const name = line.slice(space + 1);
      if (space > 0 && name.startsWith(prefix) && OBJECT_ID.test(line.slice(0, space))) {
        refs.set(name, line.slice(0, space));
      }
    }
    for (const [name, value] of loose) refs.set(name, value);
    return refs;
  } catch {
    return null;
  }
}

/** The names of a repository's local branches (`main`, `feature/x`). */
export async function localBranchNames(commonDir: string): Promise<string[] | null> {
  // Every repository has the folder: without it, this is not a layout read here.
  if (!(await localFs.stat(join(commonDir, "refs", "heads")).then((info) => info.isDirectory, () => false))) {
    return null;
  }
  const refs = await refsFromFiles(commonDir, "refs/heads/");
  return refs && [...refs.keys()].map((name) => name.slice("refs/heads/".length));
}

/**
 * `refs/remotes/<remote>/...` → object id for the repository whose worktree is at `worktree`; null for a
 * linked worktree (its `.git` is a file) and wherever refsFromFiles says so.
 */
export async function remoteTrackingRefs(
  worktree: string,
  remote: string,
): Promise<Map<string, string> | null> {
  const gitDir = join(worktree, ".git");
  if (!(await localFs.lstat(gitDir).then((info) => info.isDirectory, () => false))) return null;
  const refs = await refsFromFiles(gitDir, `refs/remotes/${remote}/`);
  if (!refs) return null;
  // A symbolic ref (`origin/HEAD`) names another ref instead of a commit: not a branch's position.
  return new Map([...refs].filter(([, value]) => OBJECT_ID.test(value)));
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
      into.set(prefix + entry.name, (await localFs.readTextFile(path)).trim());
    }
  }
}
