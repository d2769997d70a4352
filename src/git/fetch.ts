/** Fetching: the network side of a repository (push_arrival.ts says whether a push has arrived). */

import { GitError } from "../errors.ts";
import type { FetchResult } from "../state/repo_status.ts";
import { listBranches, type RepoLocation } from "./repo.ts";
import type { GitRunner } from "./runner.ts";

/** Fetches the remotes the local branches track. A failure is a result, not an exception. */
export async function fetchRepository(
  runner: GitRunner,
  location: RepoLocation,
  timeoutMs: number,
  now: () => Date,
): Promise<FetchResult> {
  try {
    const branches = await listBranches(runner, location);
    const remotes = [...new Set(branches.map((b) => b.remote).filter((r): r is string => !!r && r !== "."))];
    if (remotes.length === 0) return { at: now().toISOString(), ok: true };
    await runner.run(["fetch", "--quiet", "--no-auto-gc", "--multiple", "--end-of-options", ...remotes], {
      cwd: location.path,
      timeoutMs,
    });
    return { at: now().toISOString(), ok: true };
  } catch (error) {
    if (error instanceof GitError) return { at: now().toISOString(), ok: false, error: error.message };
    throw error;
  }
}
