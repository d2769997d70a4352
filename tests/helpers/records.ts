/** Store records for tests that write or plant them directly, and the table they go in. */

import { BatchWriteItemCommand, CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { hostRecord, repo } from "../../src/report/_testing.ts";

/** Complete, valid records unless overridden: the report tests' builders, shared. */
export { hostRecord, repo as repoStatus } from "../../src/report/_testing.ts";

/** The table as setup-aws creates it: `hostname` and `key`, on demand. */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: "hostname", AttributeType: "S" },
        { AttributeName: "key", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "hostname", KeyType: "HASH" }, { AttributeName: "key", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/**
 * Writes `hosts` machines of `repositories` items each straight into the table, as their daemons would leave
 * them, in batches: a fleet for the scale tests and the benchmark. Returns the hostnames.
 */
export async function plantFleet(
  client: DynamoDBClient,
  table: string,
  hosts: number,
  repositories: number,
): Promise<string[]> {
  const names = Array.from({ length: hosts }, (_, i) => `host-${String(i).padStart(2, "0")}`);
  const items = names.flatMap((hostname) => [
    { hostname, key: "HOST", data: hostRecord(hostname, { repositories }) },
    ...Array.from({ length: repositories }, (_, r) => {
      const name = `repo-${String(r).padStart(4, "0")}`;
      return { hostname, key: `REPO#${name}`, data: repo(name) };
    }),
  ]);
  const batches = Array.from(
    { length: Math.ceil(items.length / 25) },
    (_, i) => items.slice(i * 25, i * 25 + 25),
  );
  const send = async (batch: typeof items) => {
    let pending = batch.map((item) => ({
      PutRequest: {
        Item: {
          hostname: { S: item.hostname },
          key: { S: item.key },
          rev: { N: "1" },
          observedAt: { S: "2026-01-01T00:00:00.000Z" },
          data: { S: JSON.stringify(item.data) },
        },
      },
    }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  };
  for (let at = 0; at < batches.length; at += 4) await Promise.all(batches.slice(at, at + 4).map(send));
  return names;
}
