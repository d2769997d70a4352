import assert from "node:assert/strict";
import { CreateTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { awsClients, startEmulatorProcess } from "./emulators.ts";

Deno.test("restart() brings back empty emulators at the same endpoints", async () => {
  await using emulators = await startEmulatorProcess();
  const endpoints = emulators.env();
  {
    using aws = awsClients(emulators);
    await aws.dynamodb.send(
      new CreateTableCommand({
        TableName: "gitargus",
        KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await aws.sqs.send(new CreateQueueCommand({ QueueName: "events" }));
  }
  await emulators.restart();
  assert.deepEqual(emulators.env(), endpoints);
  using aws = awsClients(emulators);
  assert.deepEqual((await aws.dynamodb.send(new ListTablesCommand({}))).TableNames, []);
  assert.deepEqual((await aws.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
});
