/** In-memory store for unit tests of logic. Never used to claim that a DynamoDB feature works. */

import type { RepoStatus } from "../git/repo_status.ts";
import type { HostRecord, Store, StoreSnapshot, WriteOutcome } from "./store.ts";

export class MemoryStore implements Store {
  readonly hosts = new Map<string, HostRecord>();
  readonly repositories = new Map<string, Map<string, RepoStatus>>();
  writes = 0;

  putRepository(hostname: string, status: RepoStatus): Promise<WriteOutcome> {
    const repos = this.repositories.get(hostname) ?? new Map<string, RepoStatus>();
    this.repositories.set(hostname, repos);
    const current = repos.get(status.name);
    if (current && current.updatedAt >= status.updatedAt) return Promise.resolve("stale");
    repos.set(status.name, structuredClone(status));
    this.writes++;
    return Promise.resolve("written");
  }

  deleteRepository(hostname: string, name: string): Promise<void> {
    this.repositories.get(hostname)?.delete(name);
    return Promise.resolve();
  }

  putHost(record: HostRecord): Promise<void> {
    this.hosts.set(record.hostname, structuredClone(record));
    return Promise.resolve();
  }

  listRepositories(hostname: string): Promise<RepoStatus[]> {
    return Promise.resolve([...this.repositories.get(hostname)?.values() ?? []]);
  }

  snapshot(): Promise<StoreSnapshot> {
    const repositories = new Map<string, RepoStatus[]>();
    for (const [host, repos] of this.repositories) repositories.set(host, [...repos.values()]);
    return Promise.resolve({ hosts: [...this.hosts.values()], repositories });
  }
}
