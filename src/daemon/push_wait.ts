/**
 * The fetch of one sync job: once, or until the pushed refs arrive. The hook fires before the push lands, so
 * the first fetch may come too early; but a push may also never land (refused, replaced, forged), so the wait
 * ends as soon as the remote shows the ref moved past the sha or elsewhere, when a newer push of the
 * repository comes in, at the deadline, or at once when there is nothing this clone could see arrive.
 */

import { refsSignature } from "../git/branch_cache.ts";
import type { FetchResult } from "../state/repo_status.ts";
import type { RepoLocation } from "../git/repo.ts";
import type { GitRunner } from "../git/runner.ts";
import { type PushWait, pushWaits, readTrackingRefs, stillWaiting, targetsOf } from "../git/push_arrival.ts";
import type { Logger } from "../log/logger.ts";
import { isDeletion } from "../events/ref_format.ts";
import type { SyncJob } from "./sync_job.ts";

export interface PushWaitDeps {
  runner: GitRunner;
  log: Logger;
  locate: () => Promise<RepoLocation | null>;
  fetch: () => Promise<FetchResult | null>;
  /** Applies what a fetch brought while the wait goes on: a stale event must not hold back a real push. */
  applyArrived: () => Promise<void>;
  /** Ends early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  waitMs: number;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 4000;

/** `signal` aborts when the job is superseded by a newer push or the daemon stops. */
export async function fetchForJob(
  deps: PushWaitDeps,
  name: string,
  job: SyncJob,
  signal: AbortSignal,
): Promise<void> {
  const location = await deps.locate();
  if (!location) return;
  let waits = job.refs.length > 0 ? await pushWaits(deps.runner, location, job.refs, job.remote ?? "") : [];
  const targets = targetsOf(waits);
  // Tags are fetched once, never waited for: a moved tag is not updated by a fetch at all.
  const tags = job.refs.filter((r) => r.ref.startsWith("refs/tags/") && !isDeletion(r.sha));
  const before = await readTrackingRefs(deps.runner, location, [...targets, ...tags.map((t) => t.ref)]);
  const tagsMissing = tags.some((t) => before.get(t.ref) !== t.sha);
  waits = await stillWaiting(deps.runner, location, waits, before, before);
  // Already here (an earlier fetch brought it): nothing to fetch for this push.
  if (waits.length === 0 && !tagsMissing && !job.fetch) return;
  // The newer push's run, next in line, fetches anyway.
  if (superseded(deps, name, waits, signal)) return;
  let last = before;
  const deadline = performance.now() + deps.waitMs;
  for (let delay = FIRST_RETRY_MS;; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    const signature = await refsSignature(location);
    const fetched = await deps.fetch();
    if (!fetched?.ok || waits.length === 0) return;
    const now = await readTrackingRefs(deps.runner, location, targets);
    // Targets that did not move cannot have changed the answer: no git process to ask again.
    if (targets.some((t) => now.get(t) !== last.get(t))) {
      waits = await stillWaiting(deps.runner, location, waits, before, now);
    }
    last = now;
    if (waits.length === 0 || superseded(deps, name, waits, signal)) return;
    if (performance.now() + delay > deadline) {
      deps.log.warn("Pushed commits of {name} are not on the remote after {seconds} s: {refs}", {
        name,
        seconds: deps.waitMs / 1000,
        refs: describe(waits),
      });
      return;
    }
    if (await refsSignature(location) !== signature) await deps.applyArrived();
    await deps.sleep(delay, signal);
    if (superseded(deps, name, waits, signal)) return;
  }
}

function superseded(deps: PushWaitDeps, name: string, waits: readonly PushWait[], signal: AbortSignal) {
  if (!signal.aborted) return false;
  deps.log.debug("No longer waiting for {refs} of {name}", { name, refs: describe(waits) });
  return true;
}

function describe(waits: readonly PushWait[]): string {
  const shown = waits.slice(0, 3).map((w) => `${w.ref}@${w.sha.slice(0, 7)}`).join(", ");
  return waits.length > 3 ? `${shown} and ${waits.length - 3} more` : shown;
}
