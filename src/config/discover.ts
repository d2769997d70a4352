/**
 * Finds the git repositories under a workspace root for `gitargus init`: a folder holding `.git` (a folder, or
 * the file of a worktree or submodule) is a repository, and the search does not go into it. Dependency,
 * build and hidden folders are skipped, and symlinked folders are not followed, so a name never leaves root.
 */

import { isAbsolute, relative } from "node:path";
import { join } from "../util/path.ts";
import { mainWorktreeOf } from "../git/linked_worktree.ts";

/** Folders that hold dependencies or build output, never a workspace's own repositories. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  "node_modules",
  "target",
  "build",
  "dist",
  "vendor",
  "venv",
  "__pycache__",
]);

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** The filesystem as discovery needs it. */
export interface DiscoveryFs {
  /** The entries of a folder, symlinks reported as links and not followed. */
  readDir(path: string): Promise<DirEntry[]>;
  /** The main worktree of a linked worktree (`git worktree add`), as a real path; null for any other folder. */
  mainWorktreeOf?(path: string): Promise<string | null>;
}

export const realDiscoveryFs: DiscoveryFs = {
  async readDir(path) {
    const entries: DirEntry[] = [];
    for await (const entry of Deno.readDir(path)) entries.push(entry);
    return entries;
  },
  mainWorktreeOf,
};

export interface Discovery {
  /** Relative to root, with forward slashes, sorted. */
  repositories: string[];
  /** Root holds `.git` itself: a config cannot name root as a repository. */
  rootIsRepository: boolean;
  /** Folders below root that could not be read, relative to root, with the reason. */
  unreadable: { name: string; reason: string }[];
  /**
   * Linked worktrees found, relative to root, with their repository (relative to root when under it): not
   * listed, since they share that repository's refs and hook and its status covers them.
   */
  linkedWorktrees: { name: string; of: string }[];
}

/**
 * Repositories at most `depth` folder levels below `root` (depth 1: root's own subfolders). Root itself is
 * searched even when it is a repository, since it is the folder the user asked about.
 */
export async function discoverRepositories(
  root: string,
  depth: number,
  fs: DiscoveryFs = realDiscoveryFs,
): Promise<Discovery> {
  const found: Discovery = { repositories: [], rootIsRepository: false, unreadable: [], linkedWorktrees: [] };
  const realRoot = fs.mainWorktreeOf ? await Deno.realPath(root).catch(() => root) : root;
  const visit = async (parts: string[]): Promise<void> => {
    const name = parts.join("/");
    let entries: DirEntry[];
    try {
      entries = await fs.readDir(parts.length === 0 ? root : join(root, ...parts));
    } catch (error) {
      // Root is checked by the caller; a folder below it that cannot be read is reported and passed over.
      if (parts.length === 0) throw error;
      found.unreadable.push({ name, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const dotGit = entries.find((entry) => entry.name === ".git");
    if (dotGit) {
      if (parts.length > 0) {
        const main = dotGit.isDirectory ? null : await fs.mainWorktreeOf?.(join(root, ...parts));
        if (main) {
          const inRoot = relative(realRoot, main);
          const of = inRoot === ".." || inRoot.startsWith("../") || isAbsolute(inRoot) ? main : inRoot;
          found.linkedWorktrees.push({ name, of });
        } else found.repositories.push(name);
        return;
      }
      found.rootIsRepository = true;
    }
    if (parts.length >= depth) return;
    const children = entries.filter((entry) =>
      entry.isDirectory && !entry.isSymlink && !isSkipped(entry.name)
    )
      .map((entry) => entry.name).sort();
    for (const child of children) {
      // Read back with U+FFFD for its bytes, the name leads nowhere, and a config (UTF-8) could not hold it.
      if (child.includes("\uFFFD")) {
        const reason = "its name is not UTF-8 text, which a config cannot hold; rename the folder";
        found.unreadable.push({ name: [...parts, child].join("/"), reason });
      } else await visit([...parts, child]);
    }
  };
  await visit([]);
  found.repositories.sort();
  return found;
}

/** Hidden folders (`.git`, `.venv`, `.cache`, ...) and dependency or build folders. */
export function isSkipped(folder: string): boolean {
  return folder.startsWith(".") || SKIPPED_FOLDERS.has(folder);
}
