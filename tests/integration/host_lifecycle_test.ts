/**
 * Hosts have a lifecycle: `forget-host` removes a retired machine's records and nothing else, a `run --once`
 * machine is shown by its last run, and each host record says how its daemon runs.
 */

import assert from "node:assert/strict";
import { PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { join } from "node:path";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { cliCommand, denoEnv, waitFor } from "../helpers/cli.ts";
import { createStateTable, hostRecord, repoStatus } from "../helpers/records.ts";
import type { CliResult } from "../helpers/cli.ts";

const TABLE = "gitargus";
const HOUR_MS = 3_600_000;

/** Machines that keep state only (no topic, no queue): the table is all they need. */
async function stateFleet(): Promise<Fleet> {
  const f = await fleet({ machines: ["a", "b", "c"], repositories: ["repo1"] });
  using clients = awsClients(f.emulators);
  await createStateTable(clients.dynamodb, TABLE);
  return f;
}

async function plant(f: Fleet, hostname: string, key: string, data: unknown): Promise<void> {
  using clients = awsClients(f.emulators);
  await clients.dynamodb.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: {
        hostname: { S: hostname },
        key: { S: key },
        data: { S: typeof data === "string" ? data : JSON.stringify(data) },
      },
    }),
  );
}

/** The sort keys of a host's partition, read straight from the table. */
async function keysOf(f: Fleet, hostname: string): Promise<string[]> {
  using clients = awsClients(f.emulators);
  const keys: string[] = [];
  let start: Record<string, never> | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await clients.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "hostname = :h",
        ExpressionAttributeValues: { ":h": { S: hostname } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) keys.push(String(item.key?.S));
    start = result.LastEvaluatedKey as typeof start;
    if (!start) break;
  }
  return keys.sort();
}

function assertOneLine(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, pattern);
}

Deno.test("forget-host --yes removes every item of that host and leaves the other hosts", async () => {
  await using f = await stateFleet();
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  await f.ok("b", ["run", "--once", "--no-hooks"]);
  // More items than one batch delete takes, and a damaged one: every item of the partition goes.
  for (let i = 0; i < 30; i++) await plant(f, "b", `REPO#extra${i}`, repoStatus(`extra${i}`));
  await plant(f, "b", "REPO#broken", "{not json");
  assert.equal((await keysOf(f, "b")).length, 33);
  const before = await keysOf(f, "a");

  const result = await f.cli("c", ["forget-host", "b", "--yes"], { env: { NO_COLOR: "1" } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Forgot host "b": 33 records removed$/m);
  assert.match(result.stderr, /warning: host "b" was active \d+s ago/, "b's record is fresh");
  assert.deepEqual(await keysOf(f, "b"), []);
  assert.deepEqual(await keysOf(f, "a"), before);
  assert.ok(before.includes("HOST") && before.includes("REPO#repo1"), before.join(", "));
  const status = await statusJson(f, "c");
  assert.deepEqual(status.hosts.map((h) => h.hostname), ["a"]);
});

Deno.test("forget-host of an unknown host exits 1 and lists the known hosts", async () => {
  await using f = await stateFleet();
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  await plant(f, "x", "HOST", "{damaged");
  assertOneLine(
    await f.cli("c", ["forget-host", "nosuch", "--yes"]),
    1,
    /^gitargus: no host named "nosuch"; known: a, x$/,
  );
  assert.deepEqual(await keysOf(f, "a"), ["HOST", "REPO#repo1"]);
});

Deno.test("a machine's first start is listed, with what it has written, while its full update still runs", async () => {
  await using f = await fleet({
    machines: ["a", "c"],
    repositories: ["repo1", "hangs"],
    setupAws: true,
    config: () => ({ daemon: { fetchTimeoutSeconds: 30 } }),
  });
  // A remote that never answers holds the start-up full update open.
  const ssh = join(f.ws.root, "hanging-ssh");
  await Deno.writeTextFile(ssh, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
  await f.machine("a").git("hangs", "remote", "set-url", "origin", "ssh://unreachable.example/hangs.git");
  await using daemon = await f.start("a", ["run", "--no-hooks"], { env: { GIT_SSH_COMMAND: ssh } });
  let watching = false;
  void daemon.waitForLine(/Watching 2 repositories/, 60_000).then(() => watching = true, () => {});
  await daemon.waitForLine(/Listening for pushes/, 30_000);
  const listed = await waitFor("a listed with repo1", async () => {
    const status = await statusJson(f, "c");
    return status.hosts.some((h) => h.hostname === "a") && repoOf(status, "a", "repo1") ? status : undefined;
  }, 20_000);
  assert.equal(watching, false, "the full update was already done: the case tests nothing");
  assert.equal(repoOf(listed, "a", "repo1")?.state, "UP_TO_DATE");
});

Deno.test("forget-host removes a partition that has no host record, found by its name", async () => {
  await using f = await stateFleet();
  await plant(f, "orphan", "REPO#left", repoStatus("left"));
  await plant(f, "orphan", "REPO#damaged", "{");
  const done = await f.ok("c", ["forget-host", "orphan", "--yes"]);
  assert.match(done.stdout, /Forgot host "orphan": 2 records removed/);
  assert.deepEqual(await keysOf(f, "orphan"), []);
});

Deno.test("forget-host without --yes exits 2 when stdin is not a terminal and removes nothing", async () => {
  await using f = await stateFleet();
  await f.ok("b", ["run", "--once", "--no-hooks"]);
  for (const stdin of [undefined, "y\n"]) {
    assertOneLine(
      await f.cli("c", ["forget-host", "b"], stdin === undefined ? {} : { stdin }),
      2,
      /^gitargus: Forgetting host "b" needs a confirmation: pass --yes when stdin is not a terminal$/,
    );
  }
  assert.deepEqual(await keysOf(f, "b"), ["HOST", "REPO#repo1"]);
});

/** util-linux `script` gives the CLI a terminal as its stdin, fed with `typed`. */
const HAS_SCRIPT = Deno.build.os === "linux" &&
  await Deno.stat("/usr/bin/script").then(() => true, () => false);

async function onTerminal(f: Fleet, machine: string, args: string[], typed: string): Promise<string> {
  const command = cliCommand(args).map((arg) => `'${arg}'`).join(" ");
  const output = await new Deno.Command("/usr/bin/script", {
    args: ["-qec", command, "/dev/null"],
    env: { ...(await denoEnv()), ...f.env(machine), NO_COLOR: "1" },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = output.stdin.getWriter();
  await writer.write(new TextEncoder().encode(typed));
  await writer.close();
  const done = await output.output();
  return new TextDecoder().decode(done.stdout);
}

Deno.test({
  name: "forget-host on a terminal asks first and removes only after a yes",
  ignore: !HAS_SCRIPT,
  async fn() {
    await using f = await stateFleet();
    await f.ok("b", ["run", "--once", "--no-hooks"]);
    const declined = await onTerminal(f, "c", ["forget-host", "b"], "n\n");
    assert.match(declined, /Forget host "b" and its 1 repository\? \[y\/N\] /);
    assert.match(declined, /Left host "b" as it was\./);
    assert.deepEqual(await keysOf(f, "b"), ["HOST", "REPO#repo1"]);
    const accepted = await onTerminal(f, "c", ["forget-host", "b"], "y\n");
    assert.match(accepted, /Forgot host "b": 2 records removed/);
    assert.deepEqual(await keysOf(f, "b"), []);
  },
});

Deno.test("forget-host refuses this machine's own name while its daemon runs, and warns once it stopped", async () => {
  await using f = await stateFleet();
  const daemon = await f.start("a", ["run", "--no-hooks"]);
  const host = await waitFor("a's host record", async () => {
    return (await statusJson(f, "c")).hosts.find((h) => h.hostname === "a" && h.online);
  }, 30_000);
  assert.equal(
    (host as { mode?: string }).mode,
    "foreground",
    "a daemon started from here is in the foreground",
  );
  assertOneLine(
    await f.cli("a", ["forget-host", "a", "--yes"]),
    1,
    /^gitargus: Cannot forget host "a": it is this machine and its daemon is running, .*stop the daemon first$/,
  );
  assert.deepEqual(await keysOf(f, "a"), ["HOST", "REPO#repo1"]);

  assert.equal(await daemon.stop("SIGTERM"), 0);
  const forgotten = await f.cli("a", ["forget-host", "a", "--yes"]);
  assert.equal(forgotten.code, 0, forgotten.stderr);
  assert.match(
    forgotten.stderr,
    /warning: host "a" is this machine: the next `gitargus run` here records it/,
  );
  assert.deepEqual(await keysOf(f, "a"), []);
});

Deno.test("status shows a run --once machine by its last run and records its mode and event version", async () => {
  await using f = await stateFleet();
  // b's clock two hours behind: its one run reads as two hours old, long past any heartbeat limit.
  await f.ok("b", ["run", "--once", "--no-hooks"], {
    env: { GITARGUS_TEST_CLOCK_OFFSET_MS: String(-2 * HOUR_MS) },
  });
  const old = new Date(Date.now() - 2 * HOUR_MS).toISOString();
  await plant(
    f,
    "gone",
    "HOST",
    hostRecord("gone", { heartbeatAt: old, mode: "foreground", eventVersion: 1 }),
  );
  await plant(f, "gone", "REPO#repo1", repoStatus("repo1", { updatedAt: old }));

  const table = await f.ok("c", ["status"], { env: { NO_COLOR: "1" } });
  const row = table.stdout.split("\n").find((line) => /^repo1\s+b\s/.test(line));
  assert.match(String(row), /last run 2h ago/, table.stdout);
  assert.doesNotMatch(String(row), /machine offline/);
  assert.match(
    table.stdout,
    /^Offline: gone \(last seen [^)]+\)$/m,
    "a silent foreground machine is offline",
  );
  assert.match(table.stdout, /^Last run: b \([^)]+, 2h ago\)$/m);
  assert.doesNotMatch(table.stdout, /different event versions/);

  const json = await statusJson(f, "c");
  const b = json.hosts.find((h) => h.hostname === "b") as Record<string, unknown> | undefined;
  assert.equal(b?.mode, "once");
  assert.equal(b?.eventVersion, 1);
  assert.equal(b?.online, false, "online keeps its meaning: a fresh heartbeat");
});

Deno.test("status warns in one line when machines run different event versions", async () => {
  await using f = await stateFleet();
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  await plant(
    f,
    "newer",
    "HOST",
    hostRecord("newer", { heartbeatAt: new Date().toISOString(), eventVersion: 2 }),
  );
  const table = await f.ok("c", ["status"], { env: { NO_COLOR: "1" } });
  const warnings = table.stdout.split("\n").filter((line) => line.includes("different event versions"));
  assert.deepEqual(warnings, ["warning: machines run different event versions: a 1, newer 2"]);
});
