/** Whether a state must be written again: the parts of it that count, as a digest. */

import { createHash } from "node:crypto";
import type { RepoStatus } from "./repo_status.ts";

/**
 * The parts of a status that decide whether it must be written again. Times of routine events (the periodic
 * fetch, a fast-forward attempt that found nothing to do) are left out, or every reconcile would rewrite every
 * repository; their outcomes are kept. A digest, not the text: the daemon keeps one per repository for as
 * long as it runs, and the text is the size of the state.
 */
export function statusFingerprint(status: RepoStatus): string {
  const { updatedAt: _updatedAt, lastFetch, sync, ...rest } = status;
  const text = JSON.stringify({
    ...rest,
    lastFetch: lastFetch && { ok: lastFetch.ok, error: lastFetch.error },
    sync: sync && { result: sync.result, reason: sync.reason, policyHeld: sync.policyHeld },
  });
  return createHash("sha256").update(text).digest("base64");
}
