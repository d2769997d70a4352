/** Where every machine's repository states live. One real implementation (DynamoDB), one for unit tests. */

import type { RepoStatus } from "../state/repo_status.ts";
import type { AttentionItem } from "../state/attention_item.ts";

/**
 * How the daemon runs: started by a service manager (systemd, launchd), from a terminal, or as one
 * `run --once` (cron, CI). A "once" host has no heartbeat to miss; readers show when it last ran.
 */
export const HOST_MODES = ["service", "foreground", "once"] as const;
export type HostMode = typeof HOST_MODES[number];

/** One machine: written at start and then as a heartbeat. */
export interface HostRecord {
  hostname: string;
  heartbeatAt: string;
  startedAt: string;
  /** Heartbeat period, so a reader can tell "late" from "offline" without knowing the writer's config. */
  heartbeatSeconds: number;
  version: string;
  /** Absent in records of versions before it was recorded. */
  mode?: HostMode;
  /** The push event schema version the daemon speaks; records without it come from version 1 daemons. */
  eventVersion?: number;
  platform: string;
  root: string;
  repositories: number;
  /** Start of the last full update (fetch of every repository). */
  lastFullUpdateAt: string | null;
  /** Set by a clean shutdown, so readers see "stopped" at once. */
  stoppedAt: string | null;
  /** The daemon's active attention items (src/attention); absent in records of versions before them. */
  attention?: AttentionItem[];
}

export type WriteOutcome = "written" | "stale";

/**
 * A stale write names the revision the store holds, so a writer can tell its own newer write (nothing to do)
 * from one by another process of the same host (its counter must move past it): that one holds a revision
 * above any the writer sent, or the very revision of the refused write (a process never sends one twice; a
 * retry that finds its own write is reported as written). Null when unknown.
 */
export type WriteResult = { outcome: "written" } | { outcome: "stale"; storedRevision: number | null };

/** A stored item that cannot be decoded: shown by `status`, overwritten or removed by its host's daemon. */
export interface UnreadableRecord {
  hostname: string;
  /** The item's sort key: `HOST` or `REPO#<name>`. */
  key: string;
  reason: string;
}

/** Everything one host holds in the store, for its own daemon at start. */
export interface HostItems {
  repositories: RepoStatus[];
  unreadable: UnreadableRecord[];
  /** The highest write revision among the host's items; 0 when none carries one. */
  highestRevision: number;
}

/**
 * Each host is the only writer of its own items, and orders its writes by a revision number that only moves
 * forward for that host (src/store/host_revisions.ts), never by a clock: a write lands unless the item holds
 * the same or a higher revision.
 */
export interface Store {
  /** Writes a repository's state unless the store already holds one of the same or a higher revision. */
  putRepository(hostname: string, status: RepoStatus, revision: number): Promise<WriteResult>;
  deleteRepository(hostname: string, name: string): Promise<void>;
  putHost(record: HostRecord, revision: number): Promise<WriteResult>;
  listRepositories(hostname: string): Promise<RepoStatus[]>;
  hostItems(hostname: string): Promise<HostItems>;
  /** Removes the host's record and every item of its partition, readable or not; returns how many. */
  deleteHost(hostname: string): Promise<number>;
  /** Every host and every repository, for `status`. */
  snapshot(): Promise<StoreSnapshot>;
}

export interface StoreSnapshot {
  hosts: HostRecord[];
  repositories: Map<string, RepoStatus[]>;
  /** Items that could not be decoded; absent where nothing is decoded (`status --local`). */
  unreadable?: UnreadableRecord[];
}

/** Sort keys: the host record, and one item per repository. */
export const HOST_KEY = "HOST";
export const REPO_PREFIX = "REPO#";
