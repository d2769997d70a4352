/**
 * A repository's problems in the log, once each: a problem warns when it starts or changes, the same problem
 * found again on the next reconcile is only a debug line, and its end is one info line. An unattended daemon
 * that repeated every warning every 15 minutes would bury the one line that is news.
 */

import type { Logger } from "../log/logger.ts";
import type { SyncResult } from "../state/repo_status.ts";
import { POLICY_PREFIX } from "../sync/branch_policy.ts";

export type ProblemKind = "locate" | "fetch" | "read";

export class ProblemNotices {
  /** Per kind and repository, the detail last warned about. */
  readonly #current = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** `detail` tells one problem from another (an error message); a different one is news again. */
  warn(
    kind: ProblemKind,
    name: string,
    detail: string,
    message: string,
    properties: Record<string, unknown>,
  ): void {
    const key = `${kind}\0${name}`;
    const level = this.#current.get(key) === detail ? "debug" : "warn";
    this.#current.set(key, detail);
    this.log[level](message, properties);
  }

  /** Logs `message` only when a problem of this kind was warned about and has now gone. */
  resolved(kind: ProblemKind, name: string, message: string, properties: Record<string, unknown>): void {
    if (this.#current.delete(`${kind}\0${name}`)) this.log.info(message, properties);
  }
}

/**
 * The level of a fast-forward's outcome. A retry that meets the same blocker again is routine; a new outcome
 * is news. Finding nothing to do is news only when it ends a problem; a move of the user's working copy always is.
 */
export function fastForwardLevel(previous: SyncResult | null, now: SyncResult): "debug" | "info" | "warn" {
  if (previous?.result === now.result && previous.reason === now.reason) return "debug";
  if (now.result === "fast-forwarded") return "info";
  // Held by the user's own policy and by nothing else: news, not a problem.
  if (now.result === "skipped" && now.reason?.startsWith(POLICY_PREFIX) && !now.retry) return "info";
  if (now.result === "up-to-date") return previous && PROBLEMS.has(previous.result) ? "info" : "debug";
  return "warn";
}

const PROBLEMS = new Set<SyncResult["result"]>(["skipped", "blocked", "failed"]);
