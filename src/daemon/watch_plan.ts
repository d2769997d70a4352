/** Which directories of a repository to watch: git metadata plus every directory git does not ignore. */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { listTree } from "../util/fs.ts";

export async function watchedDirectories(runner: GitRunner, location: RepoLocation): Promise<string[]> {
  const dirs = new Set<string>([location.path, location.gitDir, location.commonDir]);
  for (const dir of (await listTree(join(location.commonDir, "refs"))).dirs) dirs.add(dir);
  // Index entries, untracked files and collapsed untracked directories; ignored trees are never listed.
  const { stdout } = await runner.run(
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--directory", "--no-empty-directory"],
    { cwd: location.path, timeoutMs: 60_000 },
  );
  for (const entry of stdout.split("\0")) {
    if (!entry) continue;
    const parts = entry.split("/");
    // Every ancestor directory of a file; for a collapsed directory ("dist/") that includes itself.
    for (let i = 1; i < parts.length; i++) dirs.add(join(location.path, ...parts.slice(0, i)));
  }
  return [...dirs];
}
