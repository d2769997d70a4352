/**
 * The host directory: one small item per host in a partition of its own, so that a reader learns every
 * hostname with one Query and then reads each host's partition with a Query of its own, in parallel, instead
 * of scanning the whole table.
 *   hostname "#hosts"  key "HOST#<name>"  `listedAt`      the host, listed at its first write of a process
 *   hostname "#hosts"  key "DISCOVERY"    `at` (N, ms)    when a writer last looked for unlisted hosts
 * Earlier versions write only their own partition. A table without any entry (all its writers are earlier
 * versions) is read with a Scan as before; in a mixed fleet, a writer of this version looks for HOST items
 * of unlisted hosts with one Scan (at its first write, then once a period, fleet-wide) and lists them, so no
 * earlier host disappears from `status`. `#` cannot start a hostname (src/config/schema.ts), and readers of
 * every version skip keys they do not know, so the directory is invisible to them.
 */

import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { AwsError } from "../errors.ts";
import { Limiter } from "../util/limiter.ts";
import { HOST_KEY } from "./store.ts";

export const DIRECTORY_PARTITION = "#hosts";
const ENTRY_PREFIX = "HOST#";
const DISCOVERY_KEY = "DISCOVERY";
/**
 * How often the fleet looks for hosts of earlier versions: a Scan of the table by one of its writers. Hosts
 * there at the upgrade are listed by the first write of this version; one set up later with an earlier
 * version waits at most this long.
 */
export const DISCOVERY_PERIOD_MS = 6 * 60 * 60 * 1000;
/** Host partitions read at once: enough to hide the round trips, few enough not to burst a small table. */
export const READ_PARALLELISM = 8;

export class HostDirectory {
  constructor(
    readonly client: DynamoDBClient,
    readonly table: string,
    readonly now: () => number = Date.now,
  ) {}

  /** Every listed hostname, every page. */
  async hostnames(): Promise<string[]> {
    const names: string[] = [];
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await this.#send("Query", () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "hostname = :d AND begins_with(#k, :p)",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":d": { S: DIRECTORY_PARTITION }, ":p": { S: ENTRY_PREFIX } },
            ProjectionExpression: "#k",
            ExclusiveStartKey: start,
          }),
        ));
      for (const item of page.Items ?? []) {
        const key = item.key?.S;
        if (key?.startsWith(ENTRY_PREFIX)) names.push(key.slice(ENTRY_PREFIX.length));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return names;
  }

  async list(hostname: string, by: string = hostname): Promise<void> {
    await this.#send("PutItem", () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            hostname: { S: DIRECTORY_PARTITION },
            key: { S: ENTRY_PREFIX + hostname },
            listedAt: { S: new Date(this.now()).toISOString() },
            listedBy: { S: by },
          },
        }),
      ));
  }

  async unlist(hostname: string): Promise<void> {
    await this.#send("DeleteItem", () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { hostname: { S: DIRECTORY_PARTITION }, key: { S: ENTRY_PREFIX + hostname } },
        }),
      ));
  }

  /**
   * Lists the hosts whose HOST item has no entry, unless another writer looked within the period: one
   * conditional write decides, so a fleet that starts together scans once. Returns the hosts it listed.
   */
  async discover(by: string): Promise<string[]> {
    const at = this.now();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { hostname: { S: DIRECTORY_PARTITION }, key: { S: DISCOVERY_KEY } },
          UpdateExpression: "SET #at = :at",
          ConditionExpression: "attribute_not_exists(#at) OR #at < :since",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: {
            ":at": { N: String(at) },
            ":since": { N: String(at - DISCOVERY_PERIOD_MS) },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return [];
      throw new AwsError(`DynamoDB UpdateItem on table "${this.table}"`, error);
    }
    try {
      const listed = new Set(await this.hostnames());
      const unlisted = (await this.hostsWithRecords()).filter((name) => !listed.has(name));
      for (const name of unlisted) await this.list(name, by);
      return unlisted;
    } catch (error) {
      // Hands the turn back, so the next write (of any host) looks again instead of waiting a period.
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { hostname: { S: DIRECTORY_PARTITION }, key: { S: DISCOVERY_KEY } },
          ConditionExpression: "#at = :at",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: { ":at": { N: String(at) } },
        }),
      ).catch(() => {});
      throw error;
    }
  }

  /** Hostnames of every HOST item: a Scan of the whole table, only its keys sent back. */
  async hostsWithRecords(): Promise<string[]> {
    const names: string[] = [];
    let start: ScanCommandOutput["LastEvaluatedKey"];
    do {
      const page: ScanCommandOutput = await this.#send("Scan", () =>
        this.client.send(
          new ScanCommand({
            TableName: this.table,
            FilterExpression: "#k = :host",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":host": { S: HOST_KEY } },
            ProjectionExpression: "hostname",
            ExclusiveStartKey: start,
          }),
        ));
      for (const item of page.Items ?? []) if (item.hostname?.S) names.push(item.hostname.S);
      start = page.LastEvaluatedKey;
    } while (start);
    return names;
  }

  async #send<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new AwsError(`DynamoDB ${action} on table "${this.table}"`, error);
    }
  }
}

/** How `snapshot()` reads: pure, so the choice between the directory and the Scan is tested without AWS. */
export interface FleetSource<Item> {
  hostnames(): Promise<string[]>;
  partition(hostname: string): Promise<Item[]>;
  scan(): Promise<Item[]>;
}

/** Per host when the directory lists any, a Scan when it lists none (a table only earlier versions wrote). */
export async function readFleet<Item>(
  source: FleetSource<Item>,
  parallelism = READ_PARALLELISM,
): Promise<{ items: Item[]; by: "query" | "scan" }> {
  const hostnames = await source.hostnames();
  if (hostnames.length === 0) return { items: await source.scan(), by: "scan" };
  const limiter = new Limiter(parallelism);
  const pages = await Promise.all(hostnames.map((name) => limiter.run(() => source.partition(name))));
  return { items: pages.flat(), by: "query" };
}
