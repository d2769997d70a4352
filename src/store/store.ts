/** Where every machine's repository states live. One real implementation (DynamoDB), one for unit tests. */

import type { RepoStatus } from "../git/repo_status.ts";

/** One machine: written at start and then as a heartbeat. */
export interface HostRecord {
  hostname: string;
  heartbeatAt: string;
  startedAt: string;
  /** Heartbeat period, so a reader can tell "late" from "offline" without knowing the writer's config. */
  heartbeatSeconds: number;
  version: string;
  platform: string;
  root: string;
  repositories: number;
  /** Start of the last full update (fetch of every repository). */
  lastFullUpdateAt: string | null;
  /** Set by a clean shutdown, so readers see "stopped" at once. */
  stoppedAt: string | null;
}

export type WriteOutcome = "written" | "stale";

export interface Store {
  /** Writes a repository's state unless the store already holds a newer observation. */
  putRepository(hostname: string, status: RepoStatus): Promise<WriteOutcome>;
  deleteRepository(hostname: string, name: string): Promise<void>;
  putHost(record: HostRecord): Promise<void>;
  listRepositories(hostname: string): Promise<RepoStatus[]>;
  /** Every host and every repository, for `status`. */
  snapshot(): Promise<StoreSnapshot>;
}

export interface StoreSnapshot {
  hosts: HostRecord[];
  repositories: Map<string, RepoStatus[]>;
}
