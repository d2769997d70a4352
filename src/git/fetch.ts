/** Fetching, and waiting for a push to arrive: the network side of a repository. */

import { GitError } from "../errors.ts";
import type { FetchResult } from "./repo_status.ts";
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

/**
 * True when every pushed ref is visible locally after a fetch: a branch at that sha under some remote-tracking
 * ref of the same name, a tag at that sha. Deletions and other namespaces cannot be checked and count as seen.
 */
export async function pushedRefsPresent(
  runner: GitRunner,
  location: RepoLocation,
  refs: ReadonlyArray<{ ref: string; sha: string }>,
): Promise<boolean> {
  const { stdout } = await runner.run(
    ["for-each-ref", "--format=%(refname)%00%(objectname)", "refs/remotes", "refs/tags"],
    { cwd: location.path },
  );
  const local = stdout.split("\n").filter(Boolean).map((line) => line.split("\0") as [string, string]);
  return refs.every(({ ref, sha }) => {
    if (/^0+$/.test(sha)) return true;
    if (ref.startsWith("refs/heads/")) {
      const branch = ref.slice("refs/heads/".length);
      return local.some(([name, oid]) =>
        oid === sha && name.startsWith("refs/remotes/") && name.endsWith(`/${branch}`)
      );
    }
    if (ref.startsWith("refs/tags/")) return local.some(([name, oid]) => name === ref && oid === sha);
    return true;
  });
}
