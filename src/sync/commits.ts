/** Commit lookups shared by the moves. */

import { GitError } from "../errors.ts";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";

/** The commit a ref points at, verified to be one. */
export async function resolveCommit(runner: GitRunner, location: RepoLocation, ref: string): Promise<string> {
  const { stdout } = await runner.run(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`],
    { cwd: location.path },
  );
  const sha = stdout.trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(["rev-parse", ref], location.path, 0, "not a commit", sha);
  }
  return sha;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
