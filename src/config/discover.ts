/**
 * Finds the git repositories under a workspace root for `gitargus init`: a folder holding `.git` (a folder, or
 * the file of a worktree or submodule) is a repository, and the search does not go into it. Dependency,
 * build and hidden folders are skipped, and symlinked folders are not followed, so a name never leaves root.
 */

import { join } from "../util/path.ts";

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
}

export const realDiscoveryFs: DiscoveryFs = {
  async readDir(path) {
    const entries: DirEntry[] = [];
    for await (const entry of Deno.readDir(path)) entries.push(entry);
    return entries;
  },
};

export interface Discovery {
  /** Relative to root, with forward slashes, sorted. */
  repositories: string[];
  /** Root holds `.git` itself: a config cannot name root as a repository. */
  rootIsRepository: boolean;
  /** Folders below root that could not be read, relative to root, with the reason. */
  unreadable: { name: string; reason: string }[];
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
  const found: Discovery = { repositories: [], rootIsRepository: false, unreadable: [] };
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
    if (entries.some((entry) => entry.name === ".git")) {
      if (parts.length > 0) {
        found.repositories.push(name);
        return;
      }
      found.rootIsRepository = true;
    }
    if (parts.length >= depth) return;
    const children = entries.filter((entry) =>
      entry.isDirectory && !entry.isSymlink && !isSkipped(entry.name)
    )
      .map((entry) => entry.name).sort();
    for (const child of children) await visit([...parts, child]);
  };
  await visit([]);
  found.repositories.sort();
  return found;
}

/** Hidden folders (`.git`, `.venv`, `.cache`, ...) and dependency or build folders. */
export function isSkipped(folder: string): boolean {
  return folder.startsWith(".") || SKIPPED_FOLDERS.has(folder);
}
