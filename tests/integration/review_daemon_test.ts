/**
 * Conditions next to the usual ones: a subscription that wraps events in SNS's envelope, and two configs of
 * one home sharing the outbox.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { stringify } from "yaml";
import { BatchWriteItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { fleet, statusJson } from "../helpers/fleet.ts";
import { hostRecord, repoStatus } from "../helpers/records.ts";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { awsClients } from "../helpers/emulators.ts";
import { waitFor } from "../helpers/cli.ts";
import { messagesLeft, pushEventBody, receivingMachine, sendBodies } from "../helpers/daemon_harness.ts";

/** What SQS holds when the subscription's raw message delivery is off. */
function snsEnvelope(message: string): string {
  return JSON.stringify({
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    SequenceNumber: "10000000000000000001",
    TopicArn: "arn:aws:sns:us-east-1:000000000000:gitargus-events.fifo",
    Message: message,
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
  });
}

Deno.test("a push wrapped in SNS's envelope (raw delivery off) is applied, and a bad one inside is discarded in one line", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  await using receiving = await receivingMachine(b, ws.repositories);
  const { aws, url, running } = receiving;

  const sha = await a.commitFile("repo1", "wrapped.txt", "1\n", "a push announced through an envelope");
  await a.push("repo1");
  const [forged] = await sendBodies(aws.sqs, url, [
    { body: snsEnvelope(pushEventBody("repo1", [{ ref: "refs/heads/main", sha: "zz" }])), group: "x" },
  ]);
  await sendBodies(aws.sqs, url, [{
    body: snsEnvelope(pushEventBody("repo1", [{ ref: "refs/heads/main", sha }])),
    group: "repo1",
  }]);

  await waitFor("b at the wrapped push", async () => (await b.head("repo1")) === sha || undefined, 10_000);
  await waitFor("an empty queue", async () => (await messagesLeft(aws.sqs, url)) === 0 || undefined, 10_000);
  const about = running.lines().filter((line) => line.includes(forged!));
  assert.equal(about.length, 1, `the forged inner event is logged once:\n${about.join("\n")}`);
  assert.match(about[0]!, /sha/);
});

async function outboxEvents(home: string): Promise<string[]> {
  const events: string[] = [];
  const dir = join(home, ".gitargus", "outbox");
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) {
      events.push(await Deno.readTextFile(join(dir, entry.name)));
    }
  }
  return events;
}

Deno.test("the daemon of one config never publishes a push of another config in the same home", async () => {
  await using f = await fleet({
    machines: ["a"],
    repositories: ["repo1", "repo2"],
    setupAws: true,
    config: () => ({ repositories: ["repo1"] }),
  });
  const a = f.machine("a");
  // Another fleet's topic, which this emulator does not have: a push there can only wait in the outbox.
  const other = join(a.home, "other.yml");
  await Deno.writeTextFile(
    other,
    stringify({
      hostname: "a-other",
      root: a.workspace,
      repositories: ["repo2"],
      aws: {
        dynamodb: { table: "gitargus" },
        sns: { topic: { arn: "arn:aws:sns:us-east-1:000000000000:other-fleet.fifo" } },
      },
    }),
  );
  await f.ok("a", ["--config", other, "hooks", "install"]);
  const daemon = await f.start("a", ["run"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);

  await a.commitFile("repo2", "other.txt", "1\n", "a push of the other config");
  const foreign = await f.gitPush("a", "repo2");
  assert.equal(foreign.code, 0, foreign.stderr);
  // No daemon of that config runs: its one-shot publisher tries that topic, fails, and leaves the event.
  assert.doesNotMatch(foreign.stderr, /not announced/);

  // The outbox is published in order, so once this later push is out the earlier one was passed over.
  const from = daemon.lineCount();
  await a.commitFile("repo1", "own.txt", "1\n", "a push of the running config");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);
  await daemon.waitForLine(/Published the push of repo1 from the outbox/, 15_000, { fromLine: from });
  assert.doesNotMatch(daemon.output(), /push of repo2/);
  const waiting = await outboxEvents(a.home);
  assert.equal(waiting.length, 1, waiting.join("\n"));
  assert.match(waiting[0]!, /"source":"a-other"/);
});

Deno.test("a daemon restarted as a service manager does loses no push made during the restart", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const b = f.machine("b");
  await f.ok("a", ["hooks", "install"]);
  const first = await f.start("b", ["run", "--no-hooks"]);
  await first.waitForLine(/Watching 1 repositories/, 30_000);

  const stopping = first.stop("SIGTERM");
  await a.commitFile("repo1", "during-stop.txt", "1\n", "pushed while the daemon stops");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);
  assert.equal(await stopping, 0);
  const second = await f.start("b", ["run", "--no-hooks"]);
  const sha = await a.commitFile("repo1", "during-start.txt", "1\n", "pushed while the daemon starts");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);

  await waitFor("b at the last push", async () => (await b.head("repo1")) === sha || undefined, 30_000);
  await second.waitForLine(/Watching 1 repositories/, 30_000);
  assert.doesNotMatch(first.output() + second.output(), /Error|FAILED|Another daemon/);
  assert.equal(await b.git("repo1", "status", "--porcelain"), "", "the clone is clean");
});

Deno.test("status reads every page of a table holding thousands of items", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  using aws = awsClients(f.emulators);
  const REPOSITORIES = 3000;
  const items = [{ key: "HOST", data: hostRecord("big") }];
  for (let i = 0; i < REPOSITORIES; i++) {
    items.push({ key: `REPO#r${i}`, data: repoStatus(`r${i}`) as never });
  }
  for (let start = 0; start < items.length; start += 25) {
    const { UnprocessedItems } = await aws.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          gitargus: items.slice(start, start + 25).map(({ key, data }) => ({
            PutRequest: {
              Item: {
                hostname: { S: "big" },
                key: { S: key },
                rev: { N: "1" },
                data: { S: JSON.stringify(data) },
              },
            },
          })),
        },
      }),
    );
    assert.equal(Object.keys(UnprocessedItems ?? {}).length, 0, "the emulator took every item");
  }
  const firstPage = await aws.dynamodb.send(new ScanCommand({ TableName: "gitargus" }));
  assert.ok(firstPage.LastEvaluatedKey, "the table is larger than one page");
  const status = await statusJson(f, "a", ["--host", "big"]);
  const big = status.hosts.find((h) => h.hostname === "big");
  assert.equal(big?.repositories.length, REPOSITORIES);
  assert.equal(new Set(big.repositories.map((r) => r.name)).size, REPOSITORIES);
});

Deno.test("pushes made while the receiving daemon reloads, and into a repository the reload adds, all apply", async () => {
  await using f = await fleet({
    machines: ["a", "b"],
    repositories: ["repo1", "repo2"],
    setupAws: true,
    config: (machine) => (machine === "b" ? { repositories: ["repo1"] } : {}),
  });
  const a = f.machine("a");
  const b = f.machine("b");
  await f.ok("a", ["hooks", "install"]);
  const daemon = await f.start("b", ["run", "--no-hooks"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);

  const file = join(b.home, ".gitargus", "config.yml");
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(`${file}.tmp`, text.replace(/- repo1\n/, "- repo1\n  - repo2\n"));
  await Deno.rename(`${file}.tmp`, file);
  const one = await a.commitFile("repo1", "reload.txt", "1\n", "pushed during the reload");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);
  const two = await a.commitFile("repo2", "added.txt", "1\n", "pushed into the repository being added");
  assert.equal((await f.gitPush("a", "repo2")).code, 0);

  await waitFor(
    "b at both pushes",
    async () => ((await b.head("repo1")) === one && (await b.head("repo2")) === two) || undefined,
    30_000,
  );
  assert.doesNotMatch(daemon.output(), /Error|FAILED/);
});
