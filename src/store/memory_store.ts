/** In-memory store for unit tests of logic. Never used to claim that a DynamoDB feature works. */

import type { RepoStatus } from "../state/repo_status.ts";
import {
  HOST_KEY,
  type HostItems,
  type HostRecord,
  REPO_PREFIX,
  type Store,
  type StoreSnapshot,
  type WriteResult,
} from "./store.ts";

export class MemoryStore implements Store {
  readonly hosts = new Map<string, HostRecord>();
  readonly repositories = new Map<string, Map<string, RepoStatus>>();
  /** Revision of each item, by `hostname` and sort key: the same ordering rule as the DynamoDB condition. */
  readonly revisions = new Map<string, number>();
  writes = 0;

  putRepository(hostname: string, status: RepoStatus, revision: number): Promise<WriteResult> {
    const result = this.#order(hostname, REPO_PREFIX + status.name, revision);
    if (result.outcome === "written") {
      const repos = this.repositories.get(hostname) ?? new Map<string, RepoStatus>();
      this.repositories.set(hostname, repos);
      repos.set(status.name, structuredClone(status));
      this.writes++;
    }
    return Promise.resolve(result);
  }

  deleteRepository(hostname: string, name: string): Promise<void> {
    this.repositories.get(hostname)?.delete(name);
    this.revisions.delete(itemKey(hostname, REPO_PREFIX + name));
    return Promise.resolve();
  }

  putHost(record: HostRecord, revision: number): Promise<WriteResult> {
    const result = this.#order(record.hostname, HOST_KEY, revision);
    if (result.outcome === "written") this.hosts.set(record.hostname, structuredClone(record));
    return Promise.resolve(result);
  }

  listRepositories(hostname: string): Promise<RepoStatus[]> {
    return Promise.resolve([...this.repositories.get(hostname)?.values() ?? []]);
  }

  async hostItems(hostname: string): Promise<HostItems> {
    let highestRevision = 0;
    for (const [key, revision] of this.revisions) {
      if (key.startsWith(itemKey(hostname, ""))) highestRevision = Math.max(highestRevision, revision);
    }
    return { repositories: await this.listRepositories(hostname), unreadable: [], highestRevision };
  }

  deleteHost(hostname: string): Promise<number> {
    const prefix = itemKey(hostname, "");
    let removed = 0;
    for (const key of [...this.revisions.keys()]) {
      if (key.startsWith(prefix)) this.revisions.delete(key);
    }
    if (this.hosts.delete(hostname)) removed++;
    removed += this.repositories.get(hostname)?.size ?? 0;
    this.repositories.delete(hostname);
    return Promise.resolve(removed);
  }

  snapshot(): Promise<StoreSnapshot> {
    const repositories = new Map<string, RepoStatus[]>();
    for (const [host, repos] of this.repositories) repositories.set(host, [...repos.values()]);
    return Promise.resolve({ hosts: [...this.hosts.values()], repositories, unreadable: [] });
  }

  #order(hostname: string, key: string, revision: number): WriteResult {
    const stored = this.revisions.get(itemKey(hostname, key));
    if (stored !== undefined && stored >= revision) return { outcome: "stale", storedRevision: stored };
    this.revisions.set(itemKey(hostname, key), revision);
    return { outcome: "written" };
  }
}

function itemKey(hostname: string, key: string): string {
  return `${hostname}\u0000${key}`;
}
