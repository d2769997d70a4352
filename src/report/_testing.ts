/** Builders of reports and records for the report's unit tests. */

import { emptyChanges, type RepoStatus } from "../state/repo_status.ts";
import type { HostRecord, StoreSnapshot } from "../store/store.ts";
import type { HostReport, StatusReport } from "./status_report.ts";

export const NOW = new Date("2024-05-01T12:00:00.000Z");

export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString();
}

export function hostRecord(hostname: string, overrides: Partial<HostRecord> = {}): HostRecord {
  return {
    hostname,
    heartbeatAt: ago(10),
    startedAt: ago(3600),
    heartbeatSeconds: 60,
    version: "0.1.0",
    platform: "linux",
    root: "/home/user/src",
    repositories: 1,
    lastFullUpdateAt: null,
    stoppedAt: null,
    ...overrides,
  };
}

export function repo(name: string, overrides: Partial<RepoStatus> = {}): RepoStatus {
  return {
    name,
    path: `/home/user/src/${name}`,
    state: "UP_TO_DATE",
    branch: "main",
    upstream: "origin/main",
    head: "0123456789abcdef0123456789abcdef01234567",
    ahead: 0,
    behind: 0,
    clean: true,
    changes: emptyChanges(),
    stashes: 0,
    unpushedBranches: [],
    operation: null,
    lastFetch: null,
    sync: null,
    error: null,
    updatedAt: ago(30),
    ...overrides,
  };
}

export function dirty(name: string, overrides: Partial<RepoStatus> = {}): RepoStatus {
  return repo(name, { clean: false, changes: { ...emptyChanges(), unstaged: 1 }, ...overrides });
}

export function snapshot(hosts: HostRecord[], repositories: Record<string, RepoStatus[]>): StoreSnapshot {
  return { hosts, repositories: new Map(Object.entries(repositories)) };
}

export function hostReport(hostname: string, repositories: RepoStatus[], online = true): HostReport {
  return {
    hostname,
    heartbeatAt: ago(10),
    online,
    stoppedAt: null,
    version: "0.1.0",
    mode: "service",
    eventVersion: 1,
    repositories,
  };
}

export function report(...hosts: HostReport[]): StatusReport {
  return { generatedAt: NOW.toISOString(), hosts };
}
