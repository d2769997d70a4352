/**
 * A push event a daemon was handling when it was killed comes back to the next daemon within the handling
 * visibility. The event names a commit that reaches the origin only after the next daemon started, so
 * nothing but the redelivered message can bring it there.
 */

import assert from "node:assert/strict";
import { PublishCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { type Fleet, fleet, recordedTopicArn } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { waitFor } from "../helpers/cli.ts";
import { HANDLING_VISIBILITY_SECONDS } from "../../src/events/queue_settings.ts";
import { queueNameFor } from "../../src/aws/provision_queue.ts";

/** Room for the next daemon's fetch and fast-forward, on a loaded machine. */
const MARGIN_MS = 10_000;
/** The product's promise: a killed daemon's messages are back within 20 s at most, not the queue's 60 s. */
const MAX_VISIBILITY_SECONDS = 20;

/** What a's hook would publish for a push of `sha`, sent before the commit is on the origin. */
async function announce(f: Fleet, sha: string): Promise<void> {
  using aws = awsClients(f.emulators);
  const event = {
    v: 1,
    type: "push",
    source: "a",
    repository: "repo1",
    remote: "origin",
    refs: [{ ref: "refs/heads/main", sha }],
    at: new Date().toISOString(),
  };
  await aws.sns.send(
    new PublishCommand({
      TopicArn: await recordedTopicArn(f, "a"),
      Message: JSON.stringify(event),
      MessageGroupId: "repo1",
      MessageDeduplicationId: sha,
    }),
  );
}

async function queueUrl(f: Fleet): Promise<string> {
  using aws = awsClients(f.emulators);
  const { QueueUrl } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: queueNameFor("b") }));
  if (!QueueUrl) throw new Error("no queue for b");
  return QueueUrl;
}

async function messagesInFlight(f: Fleet, url: string): Promise<number> {
  using aws = awsClients(f.emulators);
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

// Held back from the suite (run it with GITARGUS_RUN_UNSTABLE=1): since handled messages are hidden 15 s and
// received ones 1 s, the next daemon sometimes takes the redelivered event and waits out its push wait
// before the commit reaches the origin. To be fixed with the rest of the restart work.
Deno.test({
  name:
    "a push a daemon was handling when it was killed with SIGKILL is applied by the next one within the visibility",
  ignore: Deno.env.get("GITARGUS_RUN_UNSTABLE") !== "1",
}, async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const url = await queueUrl(f);
  const killed = await f.start("b", ["run", "--no-hooks"]);
  await killed.waitForLine(/Watching 1 repositories/, 30_000);

  // The daemon takes the event and waits for its commit to reach the origin, which it never does: killed.
  const sha = await f.machine("a").commitFile("repo1", "late.txt", "1\n", "reaches the origin later");
  await announce(f, sha);
  await killed.waitForLine(/Push of repo1 from a/, 15_000);
  await waitFor(
    "the event hidden by the daemon handling it",
    async () => (await messagesInFlight(f, url)) === 1,
  );
  const receivedAt = performance.now();
  assert.equal(await killed.stop("SIGKILL"), 137);

  const next = await f.start("b", ["run", "--no-hooks"]);
  await next.waitForLine(/Watching 1 repositories/, 30_000);
  // Only now on the origin: the next daemon's full update at start cannot have brought it.
  await f.machine("a").push("repo1");
  assert.ok(HANDLING_VISIBILITY_SECONDS <= MAX_VISIBILITY_SECONDS);
  const deadline = receivedAt + MAX_VISIBILITY_SECONDS * 1000 + MARGIN_MS;
  await waitFor(
    "b at the pushed commit",
    async () => (await f.machine("b").head("repo1")) === sha || undefined,
    Math.max(1000, deadline - performance.now()),
  );
  const seconds = (performance.now() - receivedAt) / 1000;
  console.log(`applied ${seconds.toFixed(1)} s after the killed daemon had received the event`);
  assert.match(next.output(), /Push of repo1 from a/, "the redelivered message brought it");
});
