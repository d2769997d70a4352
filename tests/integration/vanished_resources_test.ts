/**
 * Resources that vanish under a running daemon: the queue, the topic and the table deleted (an emulator reset
 * is in emulator_reset_test.ts). The daemon says so in one line each, naming the fix, and once `setup-aws`
 * has created them again it receives, publishes and rewrites its states without a restart.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteTopicCommand } from "@aws-sdk/client-sns";
import { DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { awsClients } from "../helpers/emulators.ts";
import { faultyFleet, holdFault, SERVICES } from "../helpers/faulty_fleet.ts";
import { MISSING, recoversAfterSetup } from "../helpers/setup_again.ts";

Deno.test("a deleted queue, topic and table are named in one line each, and setup-aws brings the daemon back", async () => {
  await using ff = await faultyFleet();
  const from = ff.daemonA.lineCount();
  {
    using aws = awsClients(ff.f.emulators);
    const { QueueUrl } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: "a.fifo" }));
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const topicArn = /arn:aws:sns:[^\s"']+/.exec(
      await Deno.readTextFile(join(ff.f.machine("a").home, ".gitargus", "config.yml")),
    )?.[0];
    await aws.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await aws.dynamodb.send(new DeleteTableCommand({ TableName: "gitargus" }));
  }
  await ff.changeOnA("after-delete");
  const pending = await ff.pushFromA("after-delete");
  assert.equal(pending.push.code, 0, pending.push.stderr);
  for (const service of SERVICES) {
    await ff.daemonA.waitForLine(MISSING[service], 30_000, { fromLine: from });
  }
  // Many retries later, still one line each.
  await holdFault(6_000);
  for (const service of SERVICES) assert.equal(ff.count(MISSING[service], from), 1, `${service} named once`);

  await recoversAfterSetup(ff, from);
});
