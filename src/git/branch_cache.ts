/**
 * Remembers each repository's branch list until its refs, HEAD or config change. A git process costs several
 * milliseconds to start, which is most of a status read; the files that decide the branch list cost a few
 * stat calls to check. Each file's inode, size and modification time are compared: git replaces a ref file
 * by renaming a new one over it, so even two updates within the same millisecond change the inode.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "node:path";
import type { BranchInfo, RepoLocation } from "./repo.ts";
import { listTree } from "../util/fs.ts";

interface Entry {
  signature: string;
  branches: BranchInfo[];
}

export class BranchCache {
  readonly #entries = new Map<string, Entry>();

  async get(location: RepoLocation, read: () => Promise<BranchInfo[]>): Promise<BranchInfo[]> {
    const signature = await refsSignature(location);
    const cached = this.#entries.get(location.gitDir);
    if (cached && cached.signature === signature) return cached.branches;
    const branches = await read();
    // Read the signature again: a ref that moved while git listed them must not pin a stale list.
    if (await refsSignature(location) === signature) {
      this.#entries.set(location.gitDir, { signature, branches });
    } else this.#entries.delete(location.gitDir);
    return branches;
  }

  forget(location: RepoLocation): void {
    this.#entries.delete(location.gitDir);
  }
}

export async function refsSignature(location: RepoLocation): Promise<string> {
  const files = [
    join(location.gitDir, "HEAD"),
    join(location.commonDir, "packed-refs"),
    join(location.commonDir, "config"),
    join(location.commonDir, "reftable"),
  ];
  for (const dir of ["refs/heads", "refs/remotes"]) {
    files.push(...(await listTree(join(location.commonDir, dir))).files);
  }
  // Names relative to the git dirs: the signature is kept per repository for as long as the daemon runs.
  const name = (file: string) =>
    file === files[0]
      ? "HEAD"
      : file.startsWith(location.commonDir)
      ? file.slice(location.commonDir.length)
      : file;
  const parts = await Promise.all(files.map(async (file) => {
    try {
      const info = await localFs.stat(file);
      return `${name(file)}:${info.ino}:${info.size}:${info.mtime?.getTime()}`;
    } catch {
      return `${name(file)}:-`;
    }
  }));
  return parts.join("\n");
}
