/**
 * Machines whose clocks are wrong, through the real CLI: GITARGUS_TEST_CLOCK_OFFSET_MS shifts what one CLI
 * process takes as the current time. Writes must land whatever the writer's clock says, and `status` must
 * show sensible ages and liveness whatever the writer's and the reader's clocks say.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { createStateTable, hostRecord, repoStatus } from "../helpers/records.ts";

const DAY_MS = 86_400_000;
const TWO_MINUTES_MS = 120_000;
const TABLE = "gitargus";

function offset(ms: number): { env: Record<string, string> } {
  return { env: { GITARGUS_TEST_CLOCK_OFFSET_MS: String(ms) } };
}

/** Machines that keep state only (no topic, no queue): the table is all they need. */
async function stateFleet(machines: string[]): Promise<Fleet> {
  const f = await fleet({ machines, repositories: ["repo1"] });
  using clients = awsClients(f.emulators);
  await createStateTable(clients.dynamodb, TABLE);
  return f;
}

/** The AGE column of a host's repo1 row in the `status` table. */
function ageOf(table: string, host: string): string | undefined {
  const row = table.split("\n").find((line) => new RegExp(`^repo1\\s+${host}\\s`).test(line));
  return row?.match(/\s(\d+[smhd])(?:\s|$)/)?.[1];
}

Deno.test("a machine whose clock was a day ahead writes its current state once the clock is corrected", async () => {
  await using f = await stateFleet(["a", "c"]);
  const a = f.machine("a");
  // Records of the earlier version, written while a's clock was a day ahead: no revision, a time tomorrow.
  using clients = awsClients(f.emulators);
  const tomorrow = new Date(Date.now() + DAY_MS).toISOString();
  for (
    const [key, data] of [
      ["REPO#repo1", repoStatus("repo1", { updatedAt: tomorrow, head: "f".repeat(40) })],
      ["HOST", hostRecord("a", { heartbeatAt: tomorrow })],
    ] as const
  ) {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          hostname: { S: "a" },
          key: { S: key },
          observedAt: { S: tomorrow },
          data: { S: JSON.stringify(data) },
        },
      }),
    );
  }
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  assert.equal(repoOf(await statusJson(f, "c"), "a", "repo1")?.head, await a.head("repo1"));

  // A day ahead again, with something new to write, and back.
  await Deno.writeTextFile(join(a.repoPath("repo1"), "untracked.txt"), "x\n");
  await f.ok("a", ["run", "--once", "--no-hooks"], offset(DAY_MS));
  const ahead = await statusJson(f, "c");
  assert.ok(Date.parse(String(repoOf(ahead, "a", "repo1")?.updatedAt)) > Date.now() + DAY_MS / 2);
  assert.equal(
    ahead.hosts.find((h) => h.hostname === "a")?.online,
    true,
    "a heartbeat from the future is now",
  );

  const head = await a.commitFile("repo1", "late.txt", "late\n", "after the clock was corrected");
  const before = Date.now();
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  const after = await statusJson(f, "c");
  const repo = repoOf(after, "a", "repo1");
  assert.equal(repo?.head, head, "the corrected machine's state replaced the one from the future");
  const updatedAt = Date.parse(String(repo?.updatedAt));
  assert.ok(updatedAt >= before - 1000 && updatedAt <= Date.now() + 1000, String(repo?.updatedAt));
  const host = after.hosts.find((h) => h.hostname === "a");
  assert.ok(Date.parse(String(host?.heartbeatAt)) <= Date.now() + 1000, "the heartbeat is today's again");
  assert.equal(host?.online, true);
});

Deno.test("machines two minutes ahead and behind are read as online with ages that are never negative", async () => {
  await using f = await stateFleet(["ahead", "behind", "c"]);
  await Deno.writeTextFile(join(f.machine("ahead").repoPath("repo1"), "x.txt"), "x\n");
  await f.ok("ahead", ["run", "--once", "--no-hooks"], offset(TWO_MINUTES_MS));
  await f.ok("behind", ["run", "--once", "--no-hooks"], offset(-TWO_MINUTES_MS));

  const status = await statusJson(f, "c");
  for (const name of ["ahead", "behind"]) {
    assert.equal(status.hosts.find((h) => h.hostname === name)?.online, true, name);
  }
  assert.equal((repoOf(status, "ahead", "repo1")?.changes as { untracked: number }).untracked, 1);

  const table = (await f.ok("c", ["status"], { env: { NO_COLOR: "1" } })).stdout;
  assert.equal(ageOf(table, "ahead"), "0s", table);
  assert.equal(ageOf(table, "behind"), "2m", table);
  assert.doesNotMatch(table, /Offline/);

  // The reader's clock wrong instead: behind, every record is from the future and counts as now.
  const slowReader = (await f.ok("c", ["status"], { env: { NO_COLOR: "1", ...offset(-DAY_MS).env } })).stdout;
  assert.equal(ageOf(slowReader, "ahead"), "0s", slowReader);
  assert.equal(ageOf(slowReader, "behind"), "0s", slowReader);
  assert.doesNotMatch(slowReader, /Offline/);
});
