/**
 * Builds what `gitargus status` shows from the store's snapshot: each machine with its repositories, and the
 * order that puts what needs attention first. Pure: the CLI prints it, as a table or as JSON.
 */

import type { RepoStatus, UnpushedBranch, WorktreeWork } from "../state/repo_status.ts";
import {
  type HostMode,
  type HostRecord,
  REPO_PREFIX,
  type StoreSnapshot,
  type UnreadableRecord,
} from "../store/store.ts";
import { matchesRepo } from "../config/repository_name.ts";
import { shellQuote } from "../util/shell.ts";
import type { AttentionItem } from "../state/attention_item.ts";

export interface HostReport {
  hostname: string;
  heartbeatAt: string | null;
  online: boolean;
  stoppedAt: string | null;
  version: string | null;
  /**
   * How its daemon runs; null when no record says (no host record, or one written before the field).
   * Optional only so that reports built by hand elsewhere stay valid; `buildReport` always sets it.
   */
  mode?: HostMode | null;
  /** The push event version its daemon speaks; null without a host record. Always set by `buildReport`. */
  eventVersion?: number | null;
  /** The active attention items its daemon recorded (src/attention); absent when its record has none. */
  attention?: AttentionItem[];
  repositories: RepoStatus[];
}

export interface StatusReport {
  generatedAt: string;
  hosts: HostReport[];
  /** Stored records that could not be decoded; the rest of the report stands without them. */
  unreadable?: UnreadableRecord[];
}

export interface ReportFilter {
  host?: string;
  repo?: string;
}

/** A host is online while its heartbeat is younger than this many heartbeat periods (and at least 3 minutes). */
const MISSED_BEATS = 3;
const MIN_OFFLINE_MS = 180_000;

/**
 * A heartbeat from the future (the writer's clock ahead of the reader's) counts as one from now: the machine
 * is online and no age is negative. It goes offline once its heartbeats stop and the reader's time passes the
 * last one by the limit.
 */
export function isOnline(host: HostRecord | undefined, now: Date): boolean {
  if (!host || host.stoppedAt) return false;
  const limit = Math.max(MIN_OFFLINE_MS, MISSED_BEATS * (host.heartbeatSeconds || 60) * 1000);
  return now.getTime() - Date.parse(host.heartbeatAt) <= limit;
}

export function buildReport(snapshot: StoreSnapshot, now: Date, filter: ReportFilter = {}): StatusReport {
  const records = new Map(snapshot.hosts.map((h) => [h.hostname, h]));
  const names = new Set([...records.keys(), ...snapshot.repositories.keys()]);
  const hosts: HostReport[] = [];
  for (const hostname of [...names].sort()) {
    if (filter.host !== undefined && hostname !== filter.host) continue;
    const record = records.get(hostname);
    const repositories = (snapshot.repositories.get(hostname) ?? [])
      .filter((r) => matchesRepo(r.name, filter.repo))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (filter.repo !== undefined && repositories.length === 0) continue;
    hosts.push({
      hostname,
      heartbeatAt: record?.heartbeatAt ?? null,
      online: isOnline(record, now),
      stoppedAt: record?.stoppedAt ?? null,
      version: record?.version ?? null,
      mode: record?.mode ?? null,
      eventVersion: record?.eventVersion ?? null,
      ...(record?.attention && { attention: record.attention }),
      repositories,
    });
  }
  const unreadable = (snapshot.unreadable ?? []).filter((record) =>
    (filter.host === undefined || record.hostname === filter.host) &&
    (filter.repo === undefined ||
      (record.key.startsWith(REPO_PREFIX) && matchesRepo(record.key.slice(REPO_PREFIX.length), filter.repo)))
  );
  return { generatedAt: now.toISOString(), hosts, unreadable };
}

/** "record REPO#x of host y is unreadable: ...": one line per damaged record, wherever they are shown. */
export function unreadableLine(record: UnreadableRecord): string {
  return `record ${record.key} of host ${record.hostname} is unreadable: ${record.reason}`;
}

export interface ReportRow {
  host: HostReport;
  repo: RepoStatus;
  /** Lower is more urgent. */
  rank: number;
  notes: string[];
}

/** One row per machine and repository, most urgent first, then by repository and machine. */
export function rows(report: StatusReport, localHost: string | null): ReportRow[] {
  const now = new Date(report.generatedAt);
  const result: ReportRow[] = [];
  for (const host of report.hosts) {
    for (const repo of host.repositories) {
      const all = [...notes(repo, host, now), ...wipNotes(repo, host.hostname, localHost)];
      result.push({ host, repo, rank: rank(repo, host, localHost), notes: all });
    }
  }
  return result.sort((a, b) =>
    a.rank - b.rank || a.repo.name.localeCompare(b.repo.name) ||
    a.host.hostname.localeCompare(b.host.hostname)
  );
}

export function hasLocalWork(repo: RepoStatus): boolean {
  return !repo.clean || repo.ahead > 0 || repo.stashes > 0 || repo.unpushedBranches.length > 0 ||
    (repo.unpushedCommits ?? 0) > 0 || (repo.worktrees?.length ?? 0) > 0;
}

/**
 * Work that exists only on another machine comes first, most of all when that machine is off. Problems come
 * next, but those of another machine that is off and holds no unpushed work are old news nobody can act on
 * now: they sort below the viewer's own problems, with that machine's other rows.
 */
export function rank(repo: RepoStatus, host: HostReport, localHost: string | null): number {
  const elsewhere = host.hostname !== localHost;
  if (elsewhere && hasLocalWork(repo)) {
    if (!host.online) return 0;
    return repo.clean ? 2 : 1;
  }
  if (elsewhere && !host.online) return 4;
  if (repo.state === "DIVERGED" || repo.state === "FAILED" || repo.operation || repo.changes.conflicted > 0) {
    return 3;
  }
  if (!host.online) return 4;
  if (hasLocalWork(repo)) return 5;
  if (repo.state === "MISSING" || repo.state === "BEHIND" || repo.state === "DETACHED") return 6;
  if (repo.state === "NO_UPSTREAM") return 7;
  return 8;
}

function notes(repo: RepoStatus, host: HostReport, now: Date): string[] {
  return host.online ? repoNotes(repo) : [presence(host, now), ...repoNotes(repo)];
}

/** The row's notes that belong to the repository itself, whatever its machine's presence. */
export function repoNotes(repo: RepoStatus): string[] {
  const out: string[] = [];
  if (repo.operation) out.push(`${repo.operation} in progress`);
  if (repo.stashes) out.push(`${repo.stashes} stash${repo.stashes > 1 ? "es" : ""}`);
  const current = repo.unpushedCommits ?? 0;
  if (current > 0) {
    const commits = `${current} commit${current > 1 ? "s" : ""}`;
    if (repo.branch === null) out.push(`${commits} on no branch or remote`);
    else out.push(`${commits} on no remote${repo.upstream ? " (upstream gone)" : ""}`);
  }
  for (const b of repo.unpushedBranches) out.push(unpushedNote(b));
  for (const w of repo.worktrees ?? []) out.push(worktreeNote(w));
  if (repo.error) out.push(shortReason(repo.error));
  // A clone left behind says why, whether a blocker, a failure or a setting (autoPull off) held it back.
  const held = repo.sync && repo.sync.result !== "fast-forwarded" && repo.sync.result !== "up-to-date";
  if (held && repo.state === "BEHIND") {
    out.push(`not fast-forwarded: ${repo.sync!.reason ?? repo.sync!.result}`);
  } else if (repo.sync?.policyHeld?.length) {
    out.push(policyHeldNote(repo.sync.policyHeld));
  }
  return out;
}

/**
 * Work in progress a machine saved: on its own row a reminder that it exists, on every other machine's view
 * the command that brings it here.
 */
export function wipNotes(repo: RepoStatus, host: string, localHost: string | null): string[] {
  const saved = repo.wip ?? [];
  return saved.map((snapshot) => {
    const what = `wip of ${snapshot.branch} (${snapshot.files} file${snapshot.files === 1 ? "" : "s"})`;
    if (host === localHost) return `${what} saved`;
    const branch = saved.length > 1 ? ` --branch ${shellQuote(snapshot.branch)}` : "";
    return `${what}: gitargus wip restore ${shellQuote(host)} ${shellQuote(repo.name)}${branch}`;
  });
}

/** Other branches the autoPull policy left behind their upstreams: "policy: topic, wip behind". */
function policyHeldNote(names: readonly string[]): string {
  const shown = names.length > 3
    ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`
    : names.join(", ");
  return `policy: ${shown} behind`;
}

/**
 * Why a machine's rows are its last word: a `run --once` machine (cron, CI) has no heartbeat to miss, so it
 * is shown by its last run rather than as offline.
 */
export function presence(host: HostReport, now: Date): string {
  if (host.stoppedAt) return "machine stopped";
  if (host.mode === "once") return `last run ${age(host.heartbeatAt, now)} ago`;
  return "machine offline";
}

/**
 * One line when machines speak different push event versions: a push one publishes may be one another
 * cannot read. Daemon versions may differ freely (each host's is in `--json`). Null when they agree.
 */
export function eventVersionWarning(report: StatusReport): string | null {
  const known = report.hosts.filter((h) => typeof h.eventVersion === "number");
  if (new Set(known.map((h) => h.eventVersion)).size < 2) return null;
  const listed = known.map((h) => `${h.hostname} ${h.eventVersion}`).join(", ");
  return `warning: machines run different event versions: ${listed}`;
}

/**
 * A git failure as the table shows it: what failed and git's own words, without the command line and folder
 * (the log has those). `git fetch --quiet ... in "/x" exited with 128: fatal: bad` -> "fetch failed: bad".
 */
export function shortReason(error: string): string {
  const git = /^git (\S+)(?: .*)? in ".*" (?:exited with \d+|(timed out))(?:: (.*))?$/s.exec(error);
  if (!git) return error;
  const [, verb, timedOut, detail] = git;
  const what = `${verb} ${timedOut ? "timed out" : "failed"}`;
  const reason = detail?.replace(/^(fatal|error): /, "").trim();
  return reason ? `${what}: ${reason}` : what;
}

export function unpushedNote(branch: UnpushedBranch): string {
  if (branch.upstream === null) return `${branch.name} +${branch.ahead} never pushed`;
  if (branch.gone) return `${branch.name} +${branch.ahead} unpushed (upstream gone)`;
  return `${branch.name} +${branch.ahead} unpushed`;
}

/** "3s", "5m", "2h", "4d": how old a record is. */
export function age(iso: string | null, now: Date): string {
  if (!iso) return "-";
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** Compact change counts: "2+ 1~ 3? 1!" for staged, unstaged, untracked, conflicted. */
export function dirtySummary(repo: RepoStatus): string {
  return countsSummary(repo.changes);
}

function countsSummary(c: Pick<RepoStatus["changes"], "staged" | "unstaged" | "untracked" | "conflicted">) {
  const parts = [
    c.staged ? `${c.staged}+` : "",
    c.unstaged ? `${c.unstaged}~` : "",
    c.untracked ? `${c.untracked}?` : "",
    c.conflicted ? `${c.conflicted}!` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" ") : "clean";
}

/** "worktree ../wt (feature): 1~ 2?", "worktree ../wt: rebase in progress". */
export function worktreeNote(worktree: WorktreeWork): string {
  const where = `worktree ${worktree.path}${worktree.branch ? ` (${worktree.branch})` : ""}`;
  if (worktree.unreadable) return `${where}: cannot be read`;
  const parts = [
    worktree.changes && !worktree.clean ? countsSummary(worktree.changes) : "",
    worktree.operation ? `${worktree.operation} in progress` : "",
  ].filter(Boolean);
  return `${where}: ${parts.join(", ")}`;
}
