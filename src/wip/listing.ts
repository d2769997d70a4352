/** Every machine's saved work in progress, as the store records it: what `wip list` prints. */

import type { StoreSnapshot } from "../store/store.ts";
import type { WipSnapshot } from "../state/repo_status.ts";

export interface ListedWip extends WipSnapshot {
  host: string;
  repo: string;
}

/** Newest first; `host` keeps one machine's. */
export function listedWip(snapshot: StoreSnapshot, host?: string): ListedWip[] {
  const listed: ListedWip[] = [];
  for (const [hostname, repos] of snapshot.repositories) {
    if (host !== undefined && hostname !== host) continue;
    for (const repo of repos) {
      for (const saved of repo.wip ?? []) listed.push({ host: hostname, repo: repo.name, ...saved });
    }
  }
  return listed.sort((a, b) => Date.parse(b.savedAt) - Date.parse(a.savedAt) || a.repo.localeCompare(b.repo));
}
