/**
 * DynamoDB layout (one table, two key attributes):
 *   hostname (partition key, S)  key (sort key, S)
 *   "<host>"                     "HOST"            the host record and heartbeat
 *   "<host>"                     "REPO#<name>"     one item per repository
 * Each item carries `observedAt` (ISO-8601 UTC) and `data` (the record as JSON). A repository update is one
 * small item write, conditional on being newer than what is stored, so an older status never overwrites a
 * newer one and a host holds any number of repositories.
 */

import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { AwsError } from "../errors.ts";
import type { RepoStatus } from "../git/repo_status.ts";
import type { HostRecord, Store, StoreSnapshot, WriteOutcome } from "./store.ts";

// Re-exported so that loading this module on demand brings the client with it (src/lazy.ts).
export { DynamoDBClient };

export const HOST_KEY = "HOST";
export const REPO_PREFIX = "REPO#";

type Item = NonNullable<QueryCommandOutput["Items"]>[number];

export class DynamoStore implements Store {
  constructor(readonly client: DynamoDBClient, readonly table: string) {}

  async putRepository(hostname: string, status: RepoStatus): Promise<WriteOutcome> {
    return await this.#conditionalPut(hostname, REPO_PREFIX + status.name, status.updatedAt, status);
  }

  async putHost(record: HostRecord): Promise<void> {
    await this.#conditionalPut(record.hostname, HOST_KEY, record.heartbeatAt, record);
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
    const items: Item[] = [];
    let start: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await this.#call("Query", () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "hostname = :h AND begins_with(#k, :p)",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":h": { S: hostname }, ":p": { S: REPO_PREFIX } },
            ExclusiveStartKey: start,
          }),
        ));
      items.push(...page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
    return items.flatMap((item) => decode<RepoStatus>(item));
  }

  async snapshot(): Promise<StoreSnapshot> {
    const hosts: HostRecord[] = [];
    const repositories = new Map<string, RepoStatus[]>();
    let start: ScanCommandOutput["LastEvaluatedKey"];
    do {
      const page: ScanCommandOutput = await this.#call(
        "Scan",
        () => this.client.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start })),
      );
      for (const item of page.Items ?? []) {
        const hostname = item.hostname?.S;
        const key = item.key?.S;
        if (!hostname || !key) continue;
        if (key === HOST_KEY) hosts.push(...decode<HostRecord>(item));
        else if (key.startsWith(REPO_PREFIX)) {
          const list = repositories.get(hostname) ?? [];
          list.push(...decode<RepoStatus>(item));
          repositories.set(hostname, list);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { hosts, repositories };
  }

  async #conditionalPut(
    hostname: string,
    key: string,
    observedAt: string,
    data: unknown,
  ): Promise<WriteOutcome> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            hostname: { S: hostname },
            key: { S: key },
            observedAt: { S: observedAt },
            data: { S: JSON.stringify(data) },
          },
          ConditionExpression: "attribute_not_exists(observedAt) OR observedAt < :t",
          ExpressionAttributeValues: { ":t": { S: observedAt } },
        }),
      );
      return "written";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "stale";
      throw new AwsError(`Writing "${key}" of host "${hostname}" to DynamoDB table "${this.table}"`, error);
    }
  }

  async #call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new AwsError(`DynamoDB ${action} on table "${this.table}"`, error);
    }
  }
}

/** A record written by another version or damaged by hand is skipped rather than breaking `status`. */
function decode<T>(item: Item): T[] {
  const text = item.data?.S;
  if (!text) return [];
  try {
    return [JSON.parse(text) as T];
  } catch {
    return [];
  }
}
