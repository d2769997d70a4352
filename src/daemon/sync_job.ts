/** What the daemon does for one repository in one run; pending jobs merge so a burst costs one run. */

import type { PushedRef } from "../events/push_event.ts";

export interface SyncJob {
  /** Fetch the remotes even when no pushed ref is awaited. */
  fetch: boolean;
  /** Fast-forward afterwards when safe. */
  fastForward: boolean;
  /**
   * Pushed refs to wait for on the remote (the hook fires before the push lands). Fetching for them is
   * implied, and skipped when they are already here.
   */
  refs: PushedRef[];
  /** The remote the pusher named (URL or name): which of this clone's remotes to watch, when it matches. */
  remote?: string;
  /** Recompute the watched directories (the tree may have gained or lost some). */
  rewatch: boolean;
}

export const REFRESH: SyncJob = { fetch: false, fastForward: false, refs: [], rewatch: true };
export const FULL_UPDATE: SyncJob = { fetch: true, fastForward: true, refs: [], rewatch: true };

export function pushJob(refs: PushedRef[], remote = ""): SyncJob {
  return { fetch: false, fastForward: true, refs, remote, rewatch: false };
}

/**
 * The newer push supersedes the older one's refs: a stale or forged event must not keep the repository
 * waiting once a newer one came in. The merged run still fetches once, which brings whatever of the older
 * push did land. Anything that fetches or fast-forwards makes the merged run do so too.
 */
export function mergeJobs(older: SyncJob, newer: SyncJob): SyncJob {
  const superseded = older.refs.length > 0 && newer.refs.length > 0;
  const latest = newer.refs.length > 0 ? newer : older;
  const merged: SyncJob = {
    fetch: older.fetch || newer.fetch || superseded,
    fastForward: older.fastForward || newer.fastForward,
    refs: [...latest.refs],
    rewatch: older.rewatch || newer.rewatch,
  };
  if (latest.remote !== undefined) merged.remote = latest.remote;
  return merged;
}
