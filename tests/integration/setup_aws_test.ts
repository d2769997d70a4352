/** `gitargus setup-aws` against the emulators: creates what is missing, and nothing the second time. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { fleet } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { ListSubscriptionsByTopicCommand } from "@aws-sdk/client-sns";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";

Deno.test("setup-aws creates everything once, records it, and a second run changes nothing", async () => {
  await using f = await fleet({ machines: ["desk", "lap"], repositories: ["repo1"] });

  const dry = await f.ok("desk", ["setup-aws", "--dry-run"]);
  assert.match(dry.stdout, /would create/);
  assert.match(dry.stdout, /Dry run: nothing was changed/);

  const first = await f.ok("desk", ["setup-aws"], { env: { NO_COLOR: "1" } });
  for (
    const resource of ["DynamoDB table", "SNS topic", "SQS queue", "SQS queue policy", "SNS subscription"]
  ) {
    assert.match(first.stdout, new RegExp(`${resource}\\s+\\S+.*\\bcreated\\b`), resource);
  }
  assert.match(first.stdout, /"sqs:ReceiveMessage"/, "prints the IAM policy");
  const config = parse(await Deno.readTextFile(join(f.machine("desk").home, ".gitargus", "config.yml")));
  assert.match(config.aws.sns.topic.arn, /^arn:aws:sns:[^:]+:\d+:gitargus\.fifo$/);
  assert.equal(config.aws.sqs.queue, "desk.fifo");

  const second = await f.ok("desk", ["setup-aws"], { env: { NO_COLOR: "1" } });
  assert.doesNotMatch(second.stdout, /\b(created|updated)\b/);
  assert.match(second.stdout, /Everything exists already: nothing changed/);

  // The second machine finds the topic and the table, and adds only its queue and subscription.
  const lap = await f.ok("lap", ["setup-aws"], { env: { NO_COLOR: "1" } });
  assert.match(lap.stdout, /DynamoDB table\s+gitargus\s+exists/);
  assert.match(lap.stdout, /SQS queue\s+lap\.fifo\s+created/);
  assert.match(lap.stdout, /SNS subscription\s+\S+\s+->\s+\S+lap\.fifo\s+created/);

  using aws = awsClients(f.emulators);
  const table = await aws.dynamodb.send(new DescribeTableCommand({ TableName: "gitargus" }));
  assert.deepEqual(table.Table?.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`), [
    "hostname:HASH",
    "key:RANGE",
  ]);
  // The per-host index `status` reads the hosts from, keys only.
  const index = table.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === "hosts");
  assert.deepEqual(index?.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`), [
    "key:HASH",
    "hostname:RANGE",
  ]);
  assert.equal(index?.Projection?.ProjectionType, "KEYS_ONLY");
  const { QueueUrl } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: "lap.fifo" }));
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["DelaySeconds", "FifoQueue", "Policy"] }),
  );
  assert.equal(Attributes?.DelaySeconds, "0");
  assert.equal(Attributes?.FifoQueue, "true");
  assert.match(Attributes?.Policy ?? "", /aws:SourceArn/);
  const subs = await aws.sns.send(
    new ListSubscriptionsByTopicCommand({ TopicArn: config.aws.sns.topic.arn }),
  );
  assert.equal(subs.Subscriptions?.length, 2);
});

Deno.test("setup-aws refuses a table with the alpha's key schema and says what to do", async () => {
  await using f = await fleet({ machines: ["desk"], repositories: ["repo1"] });
  using aws = awsClients(f.emulators);
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: "gitargus",
      AttributeDefinitions: [{ AttributeName: "hostname", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "hostname", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const result = await f.cli("desk", ["setup-aws"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /another key schema .*set aws\.dynamodb\.table to a new name/);
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
});

Deno.test("setup-aws --billing provisioned makes a table of 5 read and 5 write units; an existing one stays", async () => {
  await using f = await fleet({ machines: ["desk", "lap"], repositories: ["repo1"] });
  const bad = await f.cli("desk", ["setup-aws", "--billing", "free"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--billing expects "on-demand" or "provisioned", got "free"/);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);

  const dry = await f.ok("desk", ["setup-aws", "--dry-run", "--billing", "provisioned"], {
    env: { NO_COLOR: "1" },
  });
  assert.match(
    dry.stdout,
    /DynamoDB table\s+gitargus\s+would create\s+provisioned, 5 read and 5 write units/,
  );

  const made = await f.ok("desk", ["setup-aws", "--billing", "provisioned"], { env: { NO_COLOR: "1" } });
  assert.match(made.stdout, /DynamoDB table\s+gitargus\s+created\s+provisioned, 5 read and 5 write units/);
  using aws = awsClients(f.emulators);
  const { Table } = await aws.dynamodb.send(new DescribeTableCommand({ TableName: "gitargus" }));
  assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
  assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 5);
  assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.WriteCapacityUnits, 5);

  // Another machine asking for on-demand finds the table and leaves its billing alone.
  const lap = await f.ok("lap", ["setup-aws"], { env: { NO_COLOR: "1" } });
  assert.match(lap.stdout, /DynamoDB table\s+gitargus\s+exists\s+provisioned, left as it is/);
  const after = await aws.dynamodb.send(new DescribeTableCommand({ TableName: "gitargus" }));
  assert.equal(after.Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
});
