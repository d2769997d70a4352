/**
 * DynamoDB layout (one table, two key attributes):
 *   hostname (partition key, S)  key (sort key, S)
 *   "<host>"                     "HOST"            the host record and heartbeat
 *   "<host>"                     "REPO#<name>"     one item per repository
 *   "#hosts"                     "HOST#<host>"     the host directory (src/store/host_directory.ts)
 * Each item carries `data` (the record as JSON), `rev` (N, the host's write revision: the only thing that
 * orders writes) and `observedAt` (ISO-8601 UTC from the writer's clock: for readers only). A write is one
 * small item, conditional on a lower revision in the store, so an older state never overwrites a newer one
 * whatever the clocks say. Items of earlier versions carry no `rev` and are overwritten like a lower one.
 */

import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { AwsError, GitargusError } from "../errors.ts";
import { Backoff } from "../aws/backoff.ts";
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
import { MAX_REVISION } from "./host_revisions.ts";
import { Decoder, type Item, revisionOf } from "./item_decoder.ts";
import { DISCOVERY_PERIOD_MS, HostDirectory, readFleet } from "./host_directory.ts";

// Re-exported so that loading this module on demand brings the client with it (src/lazy.ts).
export { DynamoDBClient };
export { HOST_KEY, REPO_PREFIX };

/** BatchWriteItem takes at most 25 requests; items it leaves unprocessed are sent again a few times. */
const BATCH = 25;
const BATCH_ATTEMPTS = 8;

/**
 * A damaged `rev` (another type, or beyond exact integers) must not lock the host out of its own item, so it
 * counts as lower than any revision.
 */
const NEWER_REVISION = "attribute_not_exists(#rev) OR NOT attribute_type(#rev, :number) OR #rev < :rev OR " +
  "#rev > :max";

export class DynamoStore implements Store {
  readonly directory: HostDirectory;
  /** Hosts this process listed in the directory: a host is listed at its first write of a process. */
  readonly #listed = new Set<string>();
  #lookedAt = -Infinity;

  constructor(readonly client: DynamoDBClient, readonly table: string, now: () => number = Date.now) {
    this.directory = new HostDirectory(client, table, now);
  }

  async putRepository(hostname: string, status: RepoStatus, revision: number): Promise<WriteResult> {
    const { result } = await this.#conditionalPut(
      hostname,
      REPO_PREFIX + status.name,
      status.updatedAt,
      revision,
      status,
    );
    await this.#list(hostname, false);
    return result;
  }

  async putHost(record: HostRecord, revision: number): Promise<WriteResult> {
    const { result, wasAbsent } = await this.#conditionalPut(
      record.hostname,
      HOST_KEY,
      record.heartbeatAt,
      revision,
      record,
      { returnOld: true },
    );
    // No HOST item before this one: a first start, or `forget-host` ran while the daemon did.
    await this.#list(record.hostname, wasAbsent);
    return result;
  }

  /**
   * Lists the host at its first write of the process and again whenever its HOST item was gone, and looks
   * for unlisted hosts of earlier versions when the period has passed (one writer of the fleet scans).
   */
  async #list(hostname: string, again: boolean): Promise<void> {
    if (!this.#listed.has(hostname) || again) {
      await this.directory.list(hostname);
      this.#listed.add(hostname);
    }
    const now = this.directory.now();
    if (now - this.#lookedAt < DISCOVERY_PERIOD_MS) return;
    this.#lookedAt = now;
    try {
      await this.directory.discover(hostname);
    } catch (error) {
      this.#lookedAt = -Infinity;
      throw error;
    }
  }

  async deleteRepository(hostname: string, name: string): Promise<void> {
    await this.#call("DeleteItem", () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { hostname: { S: hostname }, key: { S: REPO_PREFIX + name } },
        }),
      ));
  }

  async listRepositories(hostname: string): Promise<RepoStatus[]> {
    return (await this.hostItems(hostname)).repositories;
  }

  async hostItems(hostname: string): Promise<HostItems> {
    const found = new Decoder();
    for (const item of await this.#partition(hostname)) found.add(item);
    return {
      repositories: found.repositories.get(hostname) ?? [],
      unreadable: found.unreadable,
      highestRevision: found.highestRevision,
    };
  }

  /** Every key of the partition, decodable or not, so a damaged item goes too. */
  async deleteHost(hostname: string): Promise<number> {
    const keys = (await this.#partition(hostname, { keysOnly: true }))
      .flatMap((item) => item.key?.S === undefined ? [] : [item.key.S]);
    for (let at = 0; at < keys.length; at += BATCH) {
      await this.#deleteBatch(hostname, keys.slice(at, at + BATCH));
    }
    await this.directory.unlist(hostname);
    this.#listed.delete(hostname);
    return keys.length;
  }

  /** All items of a host, every page. */
  async #partition(
    hostname: string,
    options: { keysOnly?: boolean; consistent?: boolean } = {},
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await this.#call("Query", () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "hostname = :h",
            ExpressionAttributeValues: { ":h": { S: hostname } },
            ...(options.keysOnly
              ? { ExpressionAttributeNames: { "#k": "key" }, ProjectionExpression: "#k" }
              : {}),
            // The host's own last writes must count, however recent; `status` takes what others see.
            ConsistentRead: options.consistent ?? true,
            ExclusiveStartKey: start,
          }),
        ));
      items.push(...page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async #deleteBatch(hostname: string, keys: string[]): Promise<void> {
    type Requests = NonNullable<BatchWriteItemCommandOutput["UnprocessedItems"]>[string];
    let pending: Requests = keys.map((key) => ({
      DeleteRequest: { Key: { hostname: { S: hostname }, key: { S: key } } },
    }));
    const backoff = new Backoff(100, 2_000);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > BATCH_ATTEMPTS) {
        throw new GitargusError(
          `DynamoDB left ${pending.length} items of host "${hostname}" in table "${this.table}" after ` +
            `${BATCH_ATTEMPTS} attempts; run the command again`,
        );
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoff.next()));
      const sent = pending;
      const result: BatchWriteItemCommandOutput = await this.#call(
        "BatchWriteItem",
        () => this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: sent } })),
      );
      pending = result.UnprocessedItems?.[this.table] ?? [];
    }
  }

  /** Every listed host's partition, read in parallel; a Scan of the table when the directory is empty. */
  async snapshot(): Promise<StoreSnapshot> {
    const found = new Decoder();
    const { items } = await readFleet({
      hostnames: () => this.directory.hostnames(),
      partition: (hostname) => this.#partition(hostname, { consistent: false }),
      scan: () => this.#scan(),
    });
    for (const item of items) found.add(item);
    return { hosts: found.hosts, repositories: found.repositories, unreadable: found.unreadable };
  }

  async #scan(): Promise<Item[]> {
    const items: Item[] = [];
    let start: ScanCommandOutput["LastEvaluatedKey"];
    do {
      const page: ScanCommandOutput = await this.#call(
        "Scan",
        () => this.client.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start })),
      );
      items.push(...page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async #conditionalPut(
    hostname: string,
    key: string,
    observedAt: string,
    revision: number,
    data: unknown,
    options: { returnOld?: boolean } = {},
  ): Promise<{ result: WriteResult; wasAbsent: boolean }> {
    const text = JSON.stringify(data);
    try {
      const written = await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            hostname: { S: hostname },
            key: { S: key },
            rev: { N: String(revision) },
            observedAt: { S: observedAt },
            data: { S: text },
          },
          ConditionExpression: NEWER_REVISION,
          ExpressionAttributeNames: { "#rev": "rev" },
          ExpressionAttributeValues: {
            ":rev": { N: String(revision) },
            ":number": { S: "N" },
            ":max": { N: String(MAX_REVISION) },
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          // Write capacity is the same either way; only the HOST item asks, to see that it was gone.
          ...(options.returnOld ? { ReturnValues: "ALL_OLD" as const } : {}),
        }),
      );
      return { result: { outcome: "written" }, wasAbsent: options.returnOld === true && !written.Attributes };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // DynamoDB returns the item that won; an emulator without that feature needs one more read.
        const stored = error.Item ?? await this.#readItem(hostname, key);
        const storedRevision = revisionOf(stored);
        // A retried request whose first attempt landed finds its own write: that is a success.
        if (storedRevision === revision && stored?.data?.S === text) {
          return { result: { outcome: "written" }, wasAbsent: false };
        }
        return { result: { outcome: "stale", storedRevision }, wasAbsent: false };
      }
      throw new AwsError(`Writing "${key}" of host "${hostname}" to DynamoDB table "${this.table}"`, error);
    }
  }

  async #readItem(hostname: string, key: string): Promise<Item | undefined> {
    const page = await this.#call("Query", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "hostname = :h AND #k = :k",
          ExpressionAttributeNames: { "#k": "key", "#rev": "rev", "#data": "data" },
          ExpressionAttributeValues: { ":h": { S: hostname }, ":k": { S: key } },
          ProjectionExpression: "#rev, #data",
          ConsistentRead: true,
        }),
      ));
    return page.Items?.[0];
  }

  async #call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new AwsError(`DynamoDB ${action} on table "${this.table}"`, error);
    }
  }
}
