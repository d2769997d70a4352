/** The fault proxy breaks calls the way it says, as the real SDK sees it, in front of the real emulators. */

import assert from "node:assert/strict";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startEmulators } from "../../scripts/emulators.ts";
import { TEST_CREDENTIALS, TEST_REGION } from "./emulators.ts";
import { faultProxy } from "./fault_proxy.ts";

const common = { region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

Deno.test("the fault proxy passes, refuses, answers 500, throttles and comes back on the same port", async () => {
  await using emulators = await startEmulators();
  await using proxy = await faultProxy(emulators.dynamodb);
  const dynamodb = new DynamoDBClient({ ...common, endpoint: proxy.url });
  try {
    const list = () => dynamodb.send(new ListTablesCommand({}));
    assert.deepEqual((await list()).TableNames, []);

    await proxy.set("down");
    await assert.rejects(list, (e: Error) => /ECONNREFUSED|refused/i.test(`${e.name} ${e.message}`));

    await proxy.set("error");
    await assert.rejects(list, (e) => status(e) === 500);
    await proxy.set("throttle");
    await assert.rejects(list, (e: Error) => e.name === "ThrottlingException" && status(e) === 400);
    await assert.rejects(list, (e: Error) => e.name === "SlowDown" && status(e) === 503);

    const url = proxy.url;
    await proxy.set("pass");
    assert.equal(proxy.url, url);
    assert.deepEqual((await list()).TableNames, []);
    assert.ok(proxy.stats().faults >= 3);
  } finally {
    dynamodb.destroy();
  }
});

Deno.test("the fault proxy answers SNS's XML protocol with errors the SDK reads as throttling", async () => {
  await using emulators = await startEmulators();
  await using proxy = await faultProxy(emulators.sns);
  const sns = new SNSClient({ ...common, endpoint: proxy.url });
  try {
    await sns.send(new ListTopicsCommand({}));
    await proxy.set("throttle");
    await assert.rejects(() => sns.send(new ListTopicsCommand({})), (e: Error) => e.name === "Throttling");
    await proxy.set("error");
    await assert.rejects(() => sns.send(new ListTopicsCommand({})), (e) => status(e) === 500);
  } finally {
    sns.destroy();
  }
});

Deno.test("in half-open mode a call gets no answer until its own deadline, and the next connection passes again", async () => {
  await using emulators = await startEmulators();
  await using proxy = await faultProxy(emulators.sqs);
  const sqs = new SQSClient({ ...common, endpoint: proxy.url });
  try {
    await sqs.send(new ListQueuesCommand({}));
    await proxy.set("halfOpen");
    const started = performance.now();
    await assert.rejects(
      () => sqs.send(new ListQueuesCommand({}), { abortSignal: AbortSignal.timeout(500) }),
      (e: Error) => e.name === "AbortError",
    );
    assert.ok(performance.now() - started >= 450, "the proxy gave no answer before the deadline");
    await proxy.set("pass");
    await sqs.send(new ListQueuesCommand({}));
  } finally {
    sqs.destroy();
  }
});

Deno.test("in slow mode calls still succeed, each chunk held back", async () => {
  await using emulators = await startEmulators();
  await using proxy = await faultProxy(emulators.dynamodb, { slowMs: 300 });
  const dynamodb = new DynamoDBClient({ ...common, endpoint: proxy.url });
  try {
    await proxy.set("slow");
    const started = performance.now();
    assert.deepEqual((await dynamodb.send(new ListTablesCommand({}))).TableNames, []);
    assert.ok(performance.now() - started >= 300, "the request was held back");
  } finally {
    dynamodb.destroy();
  }
});
