/** What the dashboard shows per machine and repository, worded by the same code as `gitargus status`. */

import type { RepoStatus } from "../state/repo_status.ts";
import { type AttentionKind, attentionKinds } from "../report/attention.ts";
import { type HostReport, repoNotes, type StatusReport } from "../report/status_report.ts";

export interface Cell {
  host: string;
  repo: string;
  attention: AttentionKind[];
  notes: string[];
}

export function cellOf(host: string, repo: RepoStatus): Cell {
  return { host, repo: repo.name, attention: attentionKinds(repo), notes: repoNotes(repo) };
}

export function cellsOf(report: StatusReport): Cell[] {
  return report.hosts.flatMap((host) => host.repositories.map((repo) => cellOf(host.hostname, repo)));
}

/** A machine's record as the stream sends it: everything but its repositories, which travel one by one. */
export type HostHeader = Omit<HostReport, "repositories">;

export function hostHeader(host: HostReport): HostHeader {
  const { repositories: _repositories, ...header } = host;
  return header;
}
