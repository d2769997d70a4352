/** What needs attention, and the one-line count per machine printed under the `status` table. */

import type { RepoStatus } from "../state/repo_status.ts";
import type { ReportRow, StatusReport } from "./status_report.ts";
import { attentionKinds } from "./attention.ts";

/**
 * A row needs attention when someone has to act: work another machine cannot get, a clone that is behind,
 * diverged, detached, missing or failed, an operation left half done. A quiet offline machine, or a branch
 * with no upstream and nothing unpushed, does not.
 */
export function needsAttention(row: Pick<ReportRow, "repo">): boolean {
  return attentionKinds(row.repo).length > 0;
}

export interface HostSummary {
  hostname: string;
  repositories: number;
  attention: number;
  /** Commits another machine cannot get: ahead of upstream, or on no remote. */
  unpushedCommits: number;
  stashes: number;
  /** Repositories with uncommitted (staged, unstaged, untracked or conflicted) changes, in any worktree. */
  uncommitted: number;
}

export function hostSummaries(report: StatusReport): HostSummary[] {
  return report.hosts.map((host) => ({
    hostname: host.hostname,
    repositories: host.repositories.length,
    attention: host.repositories.filter((repo) => needsAttention({ repo })).length,
    unpushedCommits: host.repositories.reduce((n, repo) => n + unpushedCommits(repo), 0),
    stashes: host.repositories.reduce((n, repo) => n + repo.stashes, 0),
    uncommitted: host.repositories.filter((repo) => !repo.clean || repo.worktrees?.some((w) => !w.clean))
      .length,
  }));
}

function unpushedCommits(repo: RepoStatus): number {
  return repo.ahead + (repo.unpushedCommits ?? 0) + repo.unpushedBranches.reduce((n, b) => n + b.ahead, 0);
}

/** "laptop: 12 repositories, 2 need attention, 5 unpushed commits, 1 stash, 3 uncommitted". */
export function summaryLine(summary: HostSummary): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    `${summary.hostname}: ${count(summary.repositories, "repository", "repositories")}`,
    `${summary.attention} need${summary.attention === 1 ? "s" : ""} attention`,
    count(summary.unpushedCommits, "unpushed commit"),
    count(summary.stashes, "stash", "stashes"),
    `${summary.uncommitted} uncommitted`,
  ].join(", ");
}

/** `--attention`: the same report with only the repositories that need it; machines stay listed. */
export function onlyAttention(report: StatusReport): StatusReport {
  return {
    ...report,
    hosts: report.hosts.map((host) => ({
      ...host,
      repositories: host.repositories.filter((repo) => needsAttention({ repo })),
    })),
  };
}
