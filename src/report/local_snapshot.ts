/** `status --local`: this machine's live state, read from git directly, shaped like the store's snapshot. */

import type { Config } from "../config/types.ts";
import type { RepoStatus } from "../state/repo_status.ts";
import { locateRepository, readRepoStatus, unreadableStatus } from "../git/repo.ts";
import { DenoGitRunner, type GitRunner } from "../git/runner.ts";
import type { StoreSnapshot } from "../store/store.ts";
import { VERSION } from "../version.ts";
import { readSavedWip } from "../wip/saved.ts";

// Re-exported so that `status` loads git's side only for `--local` (src/lazy.ts).
export { DenoGitRunner };

export async function localSnapshot(
  config: Config,
  runner: GitRunner,
  now: () => Date,
): Promise<StoreSnapshot> {
  const repositories = await Promise.all(config.repositories.map(async (repo): Promise<RepoStatus> => {
    const found = await locateRepository(runner, repo);
    if (!found.ok) return unreadableStatus(repo, "MISSING", found.reason, now());
    try {
      return await readRepoStatus(runner, found.location, {
        now,
        lastFetch: null,
        sync: null,
        savedWip: (location) => readSavedWip(runner, location, config.hostname),
      });
    } catch (error) {
      return unreadableStatus(repo, "FAILED", (error as Error).message, now());
    }
  }));
  const at = now().toISOString();
  return {
    hosts: [{
      hostname: config.hostname,
      heartbeatAt: at,
      startedAt: at,
      heartbeatSeconds: config.daemon.heartbeatSeconds,
      version: VERSION,
      platform: `${Deno.build.os}-${Deno.build.arch}`,
      root: config.root,
      repositories: repositories.length,
      lastFullUpdateAt: null,
      stoppedAt: null,
    }],
    repositories: new Map([[config.hostname, repositories]]),
  };
}
