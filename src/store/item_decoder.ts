/** The store's items as DynamoDB returns them, sorted into records, unreadable entries and revisions. */

import type { QueryCommandOutput } from "@aws-sdk/client-dynamodb";
import type { RepoStatus } from "../state/repo_status.ts";
import { HOST_KEY, type HostRecord, REPO_PREFIX, type UnreadableRecord } from "./store.ts";
import { decodeHostRecord, decodeRepoStatus } from "./record_schema.ts";

export type Item = NonNullable<QueryCommandOutput["Items"]>[number];

/** Sorts items into records and unreadable entries. Keys of kinds this version does not know are left alone. */
export class Decoder {
  readonly hosts: HostRecord[] = [];
  readonly repositories = new Map<string, RepoStatus[]>();
  readonly unreadable: UnreadableRecord[] = [];
  highestRevision = 0;

  add(item: Item): void {
    const hostname = item.hostname?.S;
    const key = item.key?.S;
    if (hostname === undefined || key === undefined) return;
    this.highestRevision = Math.max(this.highestRevision, revisionOf(item) ?? 0);
    if (key === HOST_KEY) {
      const decoded = decodeHostRecord(hostname, item.data?.S);
      if (decoded.ok) this.hosts.push(decoded.value);
      else this.unreadable.push({ hostname, key, reason: decoded.reason });
    } else if (key.startsWith(REPO_PREFIX)) {
      const decoded = decodeRepoStatus(key, item.data?.S);
      if (!decoded.ok) return void this.unreadable.push({ hostname, key, reason: decoded.reason });
      const list = this.repositories.get(hostname) ?? [];
      list.push(decoded.value);
      this.repositories.set(hostname, list);
    }
  }
}

export function revisionOf(item: Item | undefined): number | null {
  const text = item?.rev?.N;
  if (text === undefined) return null;
  // A fraction (a later version's numbering, or a hand edit) is rounded up: counting on from below it would
  // be refused until the counter passed it by ones.
  const revision = Math.ceil(Number(text));
  return Number.isSafeInteger(revision) && revision > 0 ? revision : null;
}
