/**
 * One daemon per config, through the real CLI: a second instance refuses and writes nothing, and a daemon
 * killed with SIGKILL leaves nothing that blocks the next start or fools the pre-push hook.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { type Fleet, fleet } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import type { HostRecord } from "../../src/store/store.ts";
import { waitFor } from "../helpers/cli.ts";

async function hostRecord(f: Fleet, hostname: string): Promise<HostRecord> {
  using aws = awsClients(f.emulators);
  const { Item } = await aws.dynamodb.send(
    new GetItemCommand({
      TableName: "gitargus",
      Key: { hostname: { S: hostname }, key: { S: "HOST" } },
      ConsistentRead: true,
    }),
  );
  assert.ok(Item?.data?.S, `no HOST record for ${hostname}`);
  return JSON.parse(Item.data.S) as HostRecord;
}

async function outboxEntries(f: Fleet, machine: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(f.machine(machine).home, ".gitargus", "outbox"))) {
      if (entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

Deno.test("a second daemon with the same config refuses in one line naming the running one, and writes nothing", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  const first = await f.start("a", ["run", "--no-hooks"]);
  await first.waitForLine(/Watching 1 repositories/, 30_000);
  const before = await hostRecord(f, "a");

  for (const args of [["run"], ["run", "--once"]]) {
    const second = await f.cli("a", args, { timeoutMs: 20_000 });
    assert.equal(second.code, 1, `gitargus ${args.join(" ")}:\n${second.stdout}\n${second.stderr}`);
    const lines = second.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, second.stderr);
    assert.match(
      lines[0]!,
      new RegExp(
        `^gitargus: Another daemon already runs with config ".*config\\.yml": pid ${first.pid}, ` +
          `started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ as "gitargus run" in the background; stop it first$`,
      ),
    );
  }

  const during = await hostRecord(f, "a");
  assert.equal(during.startedAt, before.startedAt, "the refused instances wrote no host record");
  assert.equal(during.stoppedAt, null, "the running daemon is not marked stopped");
  assert.doesNotMatch(first.output(), /Error|error:/);

  assert.equal(await first.stop("SIGTERM"), 0);
  const after = await hostRecord(f, "a");
  assert.equal(after.startedAt, before.startedAt);
  assert.ok(after.stoppedAt, "the lock holder records its clean stop");
  // A clean stop releases the lock too.
  await f.ok("a", ["run", "--once", "--no-hooks"]);
});

Deno.test("after a SIGKILL the next daemon starts at once and a push meanwhile is published without it", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const killed = await f.start("a");
  await killed.waitForLine(/Watching 1 repositories/, 30_000);
  assert.equal(await killed.stop("SIGKILL"), 137);

  // The dead daemon's files are still there; they must not make the hook hand its event to nobody.
  await a.commitFile("repo1", "while-down.txt", "1\n", "pushed while no daemon runs");
  const direct = await f.gitPush("a", "repo1");
  assert.equal(direct.code, 0, direct.stderr);
  assert.doesNotMatch(direct.stderr, /not announced/);
  // No one holds the mailbox: the hook's script started a one-shot publisher, which empties the outbox.
  await waitFor("the outbox published", async () => (await outboxEntries(f, "a")).length === 0);

  const next = await f.start("a");
  await next.waitForLine(/Watching 1 repositories/, 30_000);
  assert.doesNotMatch(next.output(), /Another (daemon|process)/);

  const from = next.lineCount();
  await a.commitFile("repo1", "relayed.txt", "1\n", "pushed while the new daemon runs");
  const relayed = await f.gitPush("a", "repo1");
  assert.equal(relayed.code, 0, relayed.stderr);
  await next.waitForLine(/Published the push of repo1 from the outbox/, 15_000, { fromLine: from });
});

Deno.test("two different configs in one home run side by side", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const other = join(a.home, "other.yml");
  await Deno.writeTextFile(
    other,
    `hostname: a-other\nroot: ${JSON.stringify(a.workspace)}\nrepositories: [repo1]\n` +
      "daemon: { heartbeatSeconds: 5 }\n",
  );
  const first = await f.start("a", ["run", "--no-hooks"]);
  await first.waitForLine(/Watching 1 repositories/, 30_000);
  await f.ok("a", ["--config", other, "run", "--once", "--no-hooks"]);
  assert.equal((await hostRecord(f, "a-other")).hostname, "a-other");
});
