/** The events that turn one report into the next: a machine's record, one repository, the unreadable list. */

import type { StatusReport } from "../report/status_report.ts";
import { cellOf, hostHeader } from "./cells.ts";

export interface ReportChange {
  event: "host" | "repo" | "unreadable";
  data: unknown;
}

export function reportChanges(
  before: StatusReport,
  after: StatusReport,
  localHost: string | null,
): ReportChange[] {
  const changes: ReportChange[] = [];
  const previous = new Map(before.hosts.map((h) => [h.hostname, h]));
  for (const host of after.hosts) {
    const earlier = previous.get(host.hostname);
    previous.delete(host.hostname);
    const header = hostHeader(host);
    if (!earlier || !same(hostHeader(earlier), header)) {
      changes.push({ event: "host", data: { hostname: host.hostname, host: header } });
    }
    const repos = new Map((earlier?.repositories ?? []).map((r) => [r.name, r]));
    for (const repo of host.repositories) {
      const old = repos.get(repo.name);
      repos.delete(repo.name);
      if (old && same(old, repo)) continue;
      changes.push({
        event: "repo",
        data: {
          host: host.hostname,
          repo: repo.name,
          status: repo,
          cell: cellOf(host.hostname, repo, localHost),
        },
      });
    }
    for (const name of repos.keys()) {
      changes.push({ event: "repo", data: { host: host.hostname, repo: name, status: null, cell: null } });
    }
  }
  for (const [hostname, gone] of previous) {
    for (const repo of gone.repositories) {
      changes.push({ event: "repo", data: { host: hostname, repo: repo.name, status: null, cell: null } });
    }
    changes.push({ event: "host", data: { hostname, host: null } });
  }
  if (!same(before.unreadable ?? [], after.unreadable ?? [])) {
    changes.push({ event: "unreadable", data: { unreadable: after.unreadable ?? [] } });
  }
  return changes;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
