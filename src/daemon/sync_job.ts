/** What the daemon does for one repository in one run; pending jobs merge so a burst costs one run. */

import type { PushedRef } from "../events/push_event.ts";

export interface SyncJob {
  /** Fetch the remotes first. */
  fetch: boolean;
  /** Fast-forward afterwards when safe. */
  fastForward: boolean;
  /** Pushed refs to wait for on the remote (the hook fires before the push lands). */
  refs: PushedRef[];
  /** Recompute the watched directories (the tree may have gained or lost some). */
  rewatch: boolean;
}

export const REFRESH: SyncJob = { fetch: false, fastForward: false, refs: [], rewatch: true };
export const FULL_UPDATE: SyncJob = { fetch: true, fastForward: true, refs: [], rewatch: true };

export function pushJob(refs: PushedRef[]): SyncJob {
  return { fetch: true, fastForward: true, refs, rewatch: false };
}

/** Latest wins per ref; any run that fetches or fast-forwards makes the merged run do so too. */
export function mergeJobs(older: SyncJob, newer: SyncJob): SyncJob {
  const refs = new Map(older.refs.map((r) => [r.ref, r]));
  for (const ref of newer.refs) refs.set(ref.ref, ref);
  return {
    fetch: older.fetch || newer.fetch,
    fastForward: older.fastForward || newer.fastForward,
    refs: [...refs.values()],
    rewatch: older.rewatch || newer.rewatch,
  };
}
