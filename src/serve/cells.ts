/** What the dashboard shows per machine and repository, worded by the same code as `gitargus status`. */

import type { RepoStatus } from "../state/repo_status.ts";
import { type AttentionKind, attentionKinds } from "../report/attention.ts";
import { type HostReport, repoNotes, type StatusReport, wipNotes } from "../report/status_report.ts";

export interface Cell {
  host: string;
  repo: string;
  attention: AttentionKind[];
  notes: string[];
}

/** `localHost`, the machine the dashboard runs on, is offered the command that brings another's work here. */
export function cellOf(host: string, repo: RepoStatus, localHost: string | null): Cell {
  const notes = [...repoNotes(repo), ...wipNotes(repo, host, localHost)];
  return { host, repo: repo.name, attention: attentionKinds(repo), notes };
}

export function cellsOf(report: StatusReport, localHost: string | null): Cell[] {
  return report.hosts.flatMap((host) =>
    host.repositories.map((repo) => cellOf(host.hostname, repo, localHost))
  );
}

/** A machine's record as the stream sends it: everything but its repositories, which travel one by one. */
export type HostHeader = Omit<HostReport, "repositories">;

export function hostHeader(host: HostReport): HostHeader {
  const { repositories: _repositories, ...header } = host;
  return header;
}
