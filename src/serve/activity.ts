/**
 * The activity feed: what happened between two reads of the store, in words ("laptop fast-forwarded api to
 * 3f1c2ab, pushed from desktop"). The store keeps states, not events, so activity is what changed between
 * reads; at start the feed is seeded from what the records still tell (the last fast-forward, the last failed
 * fetch).
 */

import type { RepoStatus } from "../state/repo_status.ts";
import { type HostReport, shortReason, type StatusReport } from "../report/status_report.ts";

export const ACTIVITY_KINDS = [
  "fast-forwarded",
  "pushed",
  "committed",
  "blocked",
  "failed",
  "fetch-failed",
  "changed",
  "online",
  "offline",
  "stopped",
  "action",
] as const;
export type ActivityKind = typeof ACTIVITY_KINDS[number];

export interface Activity {
  id: string;
  at: string;
  host: string;
  repo: string | null;
  kind: ActivityKind;
  text: string;
}

export type ActivityDraft = Omit<Activity, "id">;

const short = (sha: string | null) => sha?.slice(0, 7) ?? "nothing";

export function activityBetween(before: StatusReport, after: StatusReport): ActivityDraft[] {
  const at = after.generatedAt;
  const previous = new Map(before.hosts.map((h) => [h.hostname, h]));
  const found: ActivityDraft[] = [];
  for (const host of after.hosts) {
    const earlier = previous.get(host.hostname);
    if (!earlier) continue;
    const presence = presenceChange(earlier, host, at);
    if (presence) found.push(presence);
    const repos = new Map(earlier.repositories.map((r) => [r.name, r]));
    for (const repo of host.repositories) {
      const old = repos.get(repo.name);
      if (old) found.push(...repoChanges(host.hostname, old, repo, after, at));
      else {found.push(
          draft(at, host.hostname, repo.name, "changed", `${host.hostname} now reports ${repo.name}`),
        );}
      repos.delete(repo.name);
    }
    for (const name of repos.keys()) {
      found.push(draft(at, host.hostname, name, "changed", `${host.hostname} no longer reports ${name}`));
    }
  }
  return found;
}

/** What the records still tell of the past: each repository's last fast-forward and last failed fetch. */
export function seedActivity(report: StatusReport): ActivityDraft[] {
  const found: ActivityDraft[] = [];
  for (const host of report.hosts) {
    for (const repo of host.repositories) {
      if (repo.sync?.result === "fast-forwarded" && repo.head) {
        found.push(
          draft(repo.sync.at, host.hostname, repo.name, "fast-forwarded", fastForwarded(host, repo, report)),
        );
      }
      if (repo.lastFetch && !repo.lastFetch.ok) {
        found.push(
          draft(repo.lastFetch.at, host.hostname, repo.name, "fetch-failed", fetchFailed(host, repo)),
        );
      }
    }
  }
  return found.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

function presenceChange(before: HostReport, after: HostReport, at: string): ActivityDraft | null {
  const name = after.hostname;
  if (before.online === after.online) return null;
  if (after.online) return draft(at, name, null, "online", `${name} is online`);
  if (after.stoppedAt) return draft(at, name, null, "stopped", `${name} stopped`);
  return draft(at, name, null, "offline", `${name} went offline`);
}

function repoChanges(
  host: string,
  old: RepoStatus,
  repo: RepoStatus,
  report: StatusReport,
  at: string,
): ActivityDraft[] {
  const found: ActivityDraft[] = [];
  const add = (kind: Activity["kind"], text: string) => found.push(draft(at, host, repo.name, kind, text));
  const hostReport = report.hosts.find((h) => h.hostname === host)!;
  const unpushed = (r: RepoStatus) => r.ahead + (r.unpushedCommits ?? 0);
  const newSync = repo.sync !== null && repo.sync.at !== old.sync?.at;
  if (repo.head !== old.head) {
    if (newSync && repo.sync!.result === "fast-forwarded") {
      add("fast-forwarded", fastForwarded(hostReport, repo, report));
    } else if (unpushed(repo) > unpushed(old)) {
      add("committed", `${host} committed to ${repo.name}${on(repo)}: ${short(repo.head)}`);
    } else add("changed", `${host} moved ${repo.name}${on(repo)} to ${short(repo.head)}`);
  } else if (unpushed(old) > 0 && unpushed(repo) === 0 && repo.state === "UP_TO_DATE") {
    add("pushed", `${host} pushed ${repo.name}${on(repo)}`);
  }
  if (newSync && repo.sync!.result === "blocked" && repo.sync!.reason !== old.sync?.reason) {
    add("blocked", `${host} did not fast-forward ${repo.name}: ${repo.sync!.reason ?? "blocked"}`);
  }
  if (repo.state === "FAILED" && old.state !== "FAILED") {
    add("failed", `${repo.name} failed on ${host}${repo.error ? `: ${shortReason(repo.error)}` : ""}`);
  }
  if (repo.lastFetch && !repo.lastFetch.ok && (old.lastFetch?.ok ?? true)) {
    add("fetch-failed", fetchFailed(hostReport, repo));
  }
  if (repo.clean !== old.clean) {
    add(
      "changed",
      repo.clean
        ? `${repo.name} on ${host} is clean again`
        : `${repo.name} on ${host} has uncommitted changes`,
    );
  }
  return found;
}

/**
 * "laptop fast-forwarded api to 3f1c2ab, pushed from desktop": the pusher is the other machine holding that
 * commit without having been fast-forwarded to it.
 */
function fastForwarded(host: HostReport, repo: RepoStatus, report: StatusReport): string {
  const source = report.hosts.find((other) =>
    other.hostname !== host.hostname &&
    other.repositories.some((r) =>
      r.name === repo.name && r.head === repo.head && r.sync?.result !== "fast-forwarded"
    )
  );
  const from = source ? `, pushed from ${source.hostname}` : "";
  return `${host.hostname} fast-forwarded ${repo.name} to ${short(repo.head)}${from}`;
}

function fetchFailed(host: HostReport, repo: RepoStatus): string {
  const reason = repo.lastFetch?.error ? `: ${shortReason(repo.lastFetch.error)}` : "";
  return `${host.hostname} could not fetch ${repo.name}${reason}`;
}

function on(repo: RepoStatus): string {
  return repo.branch ? ` (${repo.branch})` : "";
}

function draft(
  at: string,
  host: string,
  repo: string | null,
  kind: Activity["kind"],
  text: string,
): ActivityDraft {
  return { at, host, repo, kind, text };
}
