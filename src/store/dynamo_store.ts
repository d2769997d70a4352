/**
 * DynamoDB layout (one table, two key attributes):
 *   hostname (partition key, S)  key (sort key, S)
 *   "<host>"                     "HOST"            the host record and heartbeat
 *   "<host>"                     "REPO#<name>"     one item per repository
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
import { HOST_INDEX } from "./table_schema.ts";
import { Limiter } from "../util/limiter.ts";

// Re-exported so that loading this module on demand brings the client with it (src/lazy.ts).
export { DynamoDBClient };
export { HOST_KEY, REPO_PREFIX };

/** Hosts read at once by `snapshot`: enough to hide the round trips, few enough not to burst a small table. */
const PARALLEL_HOSTS = 4;

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
  constructor(readonly client: DynamoDBClient, readonly table: string) {}

  async putRepository(hostname: string, status: RepoStatus, revision: number): Promise<WriteResult> {
    return await this.#conditionalPut(
      hostname,
      REPO_PREFIX + status.name,
      status.updatedAt,
      revision,
      status,
    );
  }

  async putHost(record: HostRecord, revision: number): Promise<WriteResult> {
    return await this.#conditionalPut(record.hostname, HOST_KEY, record.heartbeatAt, revision, record);
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

  /**
   * Every key of the partition, decodable or not, so a damaged item goes too. The host record goes last:
   * readers find a host by it, so one left half forgotten is still listed, and forgotten again.
   */
  async deleteHost(hostname: string): Promise<number> {
    const keys = (await this.#partition(hostname, { keysOnly: true }))
      .flatMap((item) => item.key?.S === undefined ? [] : [item.key.S])
      .sort((a, b) => Number(a === HOST_KEY) - Number(b === HOST_KEY));
    for (let at = 0; at < keys.length; at += BATCH) {
      await this.#deleteBatch(hostname, keys.slice(at, at + BATCH));
    }
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
            // The host's own last writes must count, however recent; readers of every host take what
            // DynamoDB has settled, at half the cost.
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

  /**
   * Every host's partition, read per host: the hosts from the index's `HOST` partition, then a few hosts'
   * Queries at a time. A table without a readable index (made before it, the index still being built, or a
   * policy from before it) is scanned whole, as earlier versions did.
   */
  async snapshot(): Promise<StoreSnapshot> {
    const hostnames = await this.#indexedHosts();
    if (hostnames === null) return await this.#scan();
    const limiter = new Limiter(PARALLEL_HOSTS);
    const partitions = await Promise.all(
      hostnames.map((hostname) => limiter.run(() => this.#partition(hostname, { consistent: false }))),
    );
    const found = new Decoder();
    for (const items of partitions) for (const item of items) found.add(item);
    return { hosts: found.hosts, repositories: found.repositories, unreadable: found.unreadable };
  }

  /** Every host with a `HOST` item, in name order; null when the index cannot be read. */
  async #indexedHosts(): Promise<string[] | null> {
    const hostnames: string[] = [];
    let start: QueryCommandOutput["LastEvaluatedKey"];
    try {
      do {
        const page: QueryCommandOutput = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: HOST_INDEX,
            KeyConditionExpression: "#k = :host",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":host": { S: HOST_KEY } },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.hostname?.S !== undefined) hostnames.push(item.hostname.S);
        }
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      if (withoutIndex(error)) return null;
      throw new AwsError(`DynamoDB Query of index "${HOST_INDEX}" on table "${this.table}"`, error);
    }
    return hostnames;
  }

  async #scan(): Promise<StoreSnapshot> {
    const found = new Decoder();
    let start: ScanCommandOutput["LastEvaluatedKey"];
    do {
      const page: ScanCommandOutput = await this.#call(
        "Scan",
        () => this.client.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start })),
      );
      for (const item of page.Items ?? []) found.add(item);
      start = page.LastEvaluatedKey;
    } while (start);
    return { hosts: found.hosts, repositories: found.repositories, unreadable: found.unreadable };
  }

  async #conditionalPut(
    hostname: string,
    key: string,
    observedAt: string,
    revision: number,
    data: unknown,
  ): Promise<WriteResult> {
    const text = JSON.stringify(data);
    try {
      await this.client.send(
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
        }),
      );
      return { outcome: "written" };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // DynamoDB returns the item that won; an emulator without that feature needs one more read.
        const stored = error.Item ?? await this.#readItem(hostname, key);
        const storedRevision = revisionOf(stored);
        // A retried request whose first attempt landed finds its own write: that is a success.
        if (storedRevision === revision && stored?.data?.S === text) return { outcome: "written" };
        return { outcome: "stale", storedRevision };
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

/**
 * The index is missing or still being built (ValidationException), or the credentials' policy predates it
 * (AccessDeniedException): the table itself can still be read.
 */
function withoutIndex(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "ValidationException" || name === "AccessDeniedException" ||
    name === "ResourceNotFoundException" && /index/i.test(String((error as Error).message));
}
