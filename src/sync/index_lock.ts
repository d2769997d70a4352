/**
 * git's own lock on the index. Whoever creates `index.lock` exclusively owns the index and, through it, the
 * checkout: no porcelain command of the user can stage, commit, switch branches or stash until the lock is
 * committed (renamed onto `index`) or dropped. The lock starts as a copy of the index, so git commands told
 * `GIT_INDEX_FILE=<lock>` work on it (taking `index.lock.lock` for themselves) while the user's index stays
 * as it was until the commit.
 */

import { join } from "node:path";

export class IndexLock {
  #done = false;

  private constructor(readonly path: string, private readonly index: string) {}

  /**
   * The lock, or null while another process holds it. With `copy` (the default) the lock starts as a copy of
   * the index, which must exist; without, it only keeps the user's commands out while refs move.
   */
  static async take(gitDir: string, { copy = true } = {}): Promise<IndexLock | null> {
    const index = join(gitDir, "index");
    const path = join(gitDir, "index.lock");
    const info = copy ? await Deno.stat(index) : { mode: 0o644 };
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { createNew: true, write: true, mode: (info.mode ?? 0o644) & 0o777 });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return null;
      throw error;
    }
    const lock = new IndexLock(path, index);
    try {
      const bytes = copy ? await Deno.readFile(index) : new Uint8Array();
      for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
      file.close();
    } catch (error) {
      try {
        file.close();
      } catch { /* already closed */ }
      await lock.release();
      throw error;
    }
    return lock;
  }

  /** The variables that make a git command read and write the locked copy. */
  get env(): Record<string, string> {
    return { GIT_INDEX_FILE: this.path };
  }

  /** git's commit step: the locked copy becomes the index. */
  async commit(): Promise<void> {
    await Deno.rename(this.path, this.index);
    this.#done = true;
  }

  /** Drops the lock and the copy; the index is untouched. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await Deno.remove(this.path).catch(() => {});
  }
}
