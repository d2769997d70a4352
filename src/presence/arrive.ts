/**
 * `gitargus arrive`: what the other machines did while this one was away, from the store's snapshot. Pure:
 * the pushes fast-forwarded here since then, the clones here a push could not move and why, and the work
 * that exists only on another machine (first of all on one that is offline).
 */

import type { StoreSnapshot } from "../store/store.ts";
import { buildReport } from "../report/status_report.ts";
import { type Remedy, type Risk, risksOf } from "./risks.ts";

export interface FastForwarded {
  name: string;
  branch: string | null;
  head: string | null;
  at: string;
}

export interface NotApplied {
  name: string;
  path: string;
  state: string;
  /** The last fast-forward attempt's outcome, null when none was recorded. */
  result: string | null;
  reason: string;
  at: string | null;
  remedies: Remedy[];
}

export interface WorkElsewhere {
  hostname: string;
  online: boolean;
  /** Its last heartbeat, or when it stopped. */
  lastSeen: string | null;
  repositories: Array<{ name: string; risks: Risk[] }>;
  /** Commits on it that no remote has. */
  unpushedCommits: number;
}

export interface ArrivalReport {
  hostname: string;
  generatedAt: string;
  since: string;
  /** What `since` is: `--since`, the last `leave`/`arrive` here, this daemon's stop or start, or a day. */
  sinceFrom: SinceSource;
  fastForwarded: FastForwarded[];
  notApplied: NotApplied[];
  atRiskElsewhere: WorkElsewhere[];
  /** The machines of `atRiskElsewhere` that are offline and hold unpushed commits. */
  offlineWithUnpushed: string[];
}

export type SinceSource =
  | "option"
  | "last-leave"
  | "last-arrive"
  | "daemon-stop"
  | "daemon-start"
  | "default";

const UNPUSHED = new Set(["unpushed", "never-pushed", "upstream-gone", "detached"]);

export function arrivalReport(
  snapshot: StoreSnapshot,
  hostname: string,
  since: { at: Date; from: SinceSource },
  now: Date,
): ArrivalReport {
  const report = buildReport(snapshot, now);
  const here = report.hosts.find((h) => h.hostname === hostname)?.repositories ?? [];
  const after = (iso: string | undefined) => iso !== undefined && Date.parse(iso) > since.at.getTime();
  const fastForwarded = here
    .filter((r) => r.sync?.result === "fast-forwarded" && after(r.sync.at))
    .map((r) => ({ name: r.name, branch: r.branch, head: r.head, at: r.sync!.at }));
  const notApplied = here.flatMap((r): NotApplied[] => {
    const held = r.sync?.result === "blocked" || r.sync?.result === "failed";
    if (r.state !== "BEHIND" && !(held && after(r.sync?.at))) return [];
    const git = (...args: string[]): Remedy => ({ program: "git", dir: r.path, args });
    return [{
      name: r.name,
      path: r.path,
      state: r.state,
      result: r.sync?.result ?? null,
      reason: r.sync?.reason ?? (r.sync ? r.sync.result : "not fast-forwarded yet"),
      at: r.sync?.at ?? null,
      // A blocker is for the user to look at; a clone merely left behind (autoPull off) can just move.
      remedies: [held ? git("status") : git("pull", "--ff-only")],
    }];
  });
  const atRiskElsewhere = report.hosts.filter((h) => h.hostname !== hostname).flatMap(
    (h): WorkElsewhere[] => {
      const repositories = h.repositories.map((r) => ({ name: r.name, risks: risksOf(r) }))
        .filter((r) => r.risks.length > 0);
      if (repositories.length === 0) return [];
      const unpushedCommits = repositories.flatMap((r) => r.risks)
        .filter((risk) => UNPUSHED.has(risk.kind))
        .reduce((n, risk) => n + (risk.commits ?? 0), 0);
      return [{
        hostname: h.hostname,
        online: h.online,
        lastSeen: h.stoppedAt ?? h.heartbeatAt,
        repositories,
        unpushedCommits,
      }];
    },
  );
  // Offline machines first: nobody can push from them until someone is at them.
  atRiskElsewhere.sort((a, b) => Number(a.online) - Number(b.online) || a.hostname.localeCompare(b.hostname));
  return {
    hostname,
    generatedAt: now.toISOString(),
    since: since.at.toISOString(),
    sinceFrom: since.from,
    fastForwarded,
    notApplied,
    atRiskElsewhere,
    offlineWithUnpushed: atRiskElsewhere.filter((h) => !h.online && h.unpushedCommits > 0).map((h) =>
      h.hostname
    ),
  };
}
