/**
 * How `snapshot` reads when the per-host index cannot be: each way DynamoDB refuses the index falls back to
 * one Scan of the table, and any other failure is reported. The store's contract against real DynamoDB
 * implementations is in tests/integration/store_test.ts.
 */

import assert from "node:assert/strict";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoStore } from "./dynamo_store.ts";
import { hostRecord, repo } from "../report/_testing.ts";

const ITEMS = [
  { hostname: { S: "a" }, key: { S: "HOST" }, data: { S: JSON.stringify(hostRecord("a")) } },
  { hostname: { S: "a" }, key: { S: "REPO#x" }, data: { S: JSON.stringify(repo("x")) } },
];

/** Answers Scans with ITEMS and fails every Query of the index with `refusal`; records what was sent. */
function refusingClient(refusal: Error): { client: DynamoDBClient; sent: string[] } {
  const sent: string[] = [];
  const client = {
    send(command: { constructor: { name: string }; input: { IndexName?: string } }) {
      const name = command.constructor.name.replace(/Command$/, "");
      sent.push(command.input.IndexName ? `${name} ${command.input.IndexName}` : name);
      if (command.input.IndexName) return Promise.reject(refusal);
      return Promise.resolve(name === "Scan" ? { Items: ITEMS } : { Items: [] });
    },
  };
  return { client: client as unknown as DynamoDBClient, sent };
}

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

Deno.test("snapshot() scans the table when the index is missing, still being built or not allowed", async () => {
  for (
    const refusal of [
      named("ValidationException", "The table does not have the specified index: hosts"),
      named("ValidationException", "Cannot read from backfilling global secondary index: hosts"),
      named(
        "AccessDeniedException",
        "not authorized to perform: dynamodb:Query on resource: .../index/hosts",
      ),
    ]
  ) {
    const { client, sent } = refusingClient(refusal);
    const snapshot = await new DynamoStore(client, "t").snapshot();
    assert.deepEqual(sent, ["Query hosts", "Scan"], refusal.message);
    assert.deepEqual(snapshot.hosts.map((h) => h.hostname), ["a"]);
    assert.deepEqual(snapshot.repositories.get("a")?.map((r) => r.name), ["x"]);
  }
});

Deno.test("snapshot() reports any other failure of the index, naming the index and the table", async () => {
  const { client, sent } = refusingClient(named("ProvisionedThroughputExceededException", "slow down"));
  await assert.rejects(
    () => new DynamoStore(client, "t").snapshot(),
    /DynamoDB Query of index "hosts" on table "t".*slow down/,
  );
  assert.deepEqual(sent, ["Query hosts"]);
});
