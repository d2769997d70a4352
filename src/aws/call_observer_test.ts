import assert from "node:assert/strict";
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { type AwsCall, observeAwsCalls, withCallDeadlines } from "./deadline.ts";

/** A loopback DynamoDB that knows no tables: lists none, and has none to describe. */
function emptyDynamo() {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const target = request.headers.get("x-amz-target") ?? "";
    const headers = { "content-type": "application/x-amz-json-1.0" };
    if (target.endsWith(".ListTables")) return new Response(JSON.stringify({ TableNames: [] }), { headers });
    const body = {
      __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
      message: "no table",
    };
    return new Response(JSON.stringify(body), { status: 400, headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function clientOf(url: string): DynamoDBClient {
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

Deno.test("observeAwsCalls() sees each call's service, operation, duration and outcome", async () => {
  await using peer = emptyDynamo();
  const client = withCallDeadlines(clientOf(peer.url), 5_000);
  const calls: AwsCall[] = [];
  observeAwsCalls((call) => calls.push(call));
  try {
    await client.send(new ListTablesCommand({}));
    await assert.rejects(() => client.send(new DescribeTableCommand({ TableName: "t" })));
  } finally {
    observeAwsCalls(null);
    client.destroy();
  }
  assert.equal(calls.length, 2);
  const [listed, described] = calls;
  assert.deepEqual({ ...listed, ms: 0 }, {
    service: "DynamoDB",
    operation: "ListTables",
    outcome: "ok",
    status: 200,
    attempts: 1,
    ms: 0,
  });
  assert.deepEqual({ ...described, ms: 0 }, {
    service: "DynamoDB",
    operation: "DescribeTable",
    outcome: "ResourceNotFoundException",
    status: 400,
    attempts: 1,
    ms: 0,
  });
  assert.ok(listed!.ms >= 0 && described!.ms >= 0);
});

Deno.test("observeAwsCalls(null) stops the observing", async () => {
  await using peer = emptyDynamo();
  const client = withCallDeadlines(clientOf(peer.url), 5_000);
  const calls: AwsCall[] = [];
  observeAwsCalls((call) => calls.push(call));
  observeAwsCalls(null);
  try {
    await client.send(new ListTablesCommand({}));
  } finally {
    client.destroy();
  }
  assert.deepEqual(calls, []);
});
