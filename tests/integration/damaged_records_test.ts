/**
 * Damaged items in the table, planted directly through the DynamoDB client, as a bug of another version or
 * a hand edit would leave them: `status` names each one on a line of its own and shows everything else; the
 * host's own daemon replaces or removes its damaged items.
 */

import assert from "node:assert/strict";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { createStateTable, hostRecord, repoStatus } from "../helpers/records.ts";

const TABLE = "gitargus";
type Attribute = { S: string } | { N: string };

interface Unreadable {
  hostname: string;
  key: string;
  reason: string;
}

async function stateFleet(): Promise<Fleet> {
  const f = await fleet({ machines: ["a", "c"], repositories: ["repo1"] });
  using clients = awsClients(f.emulators);
  await createStateTable(clients.dynamodb, TABLE);
  return f;
}

async function plant(
  f: Fleet,
  hostname: string,
  key: string,
  data: unknown,
  extra: Record<string, Attribute> = {},
) {
  using clients = awsClients(f.emulators);
  const item: Record<string, Attribute> = { hostname: { S: hostname }, key: { S: key }, ...extra };
  if (data !== undefined) item.data = { S: typeof data === "string" ? data : JSON.stringify(data) };
  await clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: item }));
}

const now = () => new Date().toISOString();

Deno.test("status and status --json name every damaged record on its own line and show the rest", async () => {
  await using f = await stateFleet();
  await plant(f, "x", "HOST", hostRecord("x", { heartbeatAt: now() }));
  await plant(f, "x", "REPO#good", repoStatus("good", { updatedAt: now() }));
  await plant(f, "x", "REPO#newer", { ...repoStatus("newer", { updatedAt: now() }), addedLater: [1, 2] });
  const damaged: Array<[string, string, unknown, RegExp]> = [
    ["x", "REPO#notjson", "{oops", /not JSON/],
    ["x", "REPO#list", "[1,2,3]", /is a list, not an object/],
    ["x", "REPO#wrongtype", { ...repoStatus("wrongtype"), behind: "two" }, /^behind: /],
    ["x", "REPO#missing", { name: "missing", path: "/p" }, /is missing/],
    ["x", "REPO#mismatch", repoStatus("someone-else"), /name "someone-else" does not match its key/],
    ["x", "REPO#huge", repoStatus("huge", { error: "e".repeat(300_000) }), /characters long|^error: /],
    ["x", "REPO#bignumber", repoStatus("bignumber", { ahead: 1e300 }), /^ahead: /],
    ["x", "REPO#nodata", undefined, /no data attribute/],
    ["y", "HOST", hostRecord("z"), /hostname "z" does not match its key HOST/],
    ["y", "REPO#\u001b[31mred", "{", /not JSON/],
  ];
  for (const [host, key, data] of damaged) await plant(f, host, key, data);

  const json = await f.cli("c", ["status", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, "");
  const report = JSON.parse(json.stdout) as Awaited<ReturnType<typeof statusJson>> & {
    unreadable: Unreadable[];
  };
  assert.deepEqual(
    report.unreadable.map((u) => `${u.hostname} ${u.key}`).sort(),
    damaged.map(([host, key]) => `${host} ${key}`).sort(),
  );
  for (const [host, key, , reason] of damaged) {
    const found = report.unreadable.find((u) => u.hostname === host && u.key === key);
    assert.match(String(found?.reason), reason, `${host} ${key}`);
    assert.ok(String(found?.reason).length < 300, `a short reason for ${key}`);
  }
  assert.ok(repoOf(report, "x", "good"));
  assert.deepEqual(repoOf(report, "x", "newer")?.addedLater, [1, 2]);
  assert.equal(report.hosts.find((h) => h.hostname === "x")?.online, true);

  const table = await f.cli("c", ["status"], { env: { NO_COLOR: "1" } });
  assert.equal(table.code, 0, table.stderr);
  assert.equal(table.stderr, "");
  const lines = table.stdout.split("\n");
  assert.ok(lines.some((l) => /^good\s+x\s/.test(l)), table.stdout);
  assert.ok(lines.some((l) => /^newer\s+x\s/.test(l)), table.stdout);
  for (const [host, key] of damaged) {
    const shown = key.replace("\u001b", "\\x1b");
    const matching = lines.filter((l) => l.startsWith(`record ${shown} of host ${host} is unreadable: `));
    assert.equal(matching.length, 1, `one line for ${host} ${key}:\n${table.stdout}`);
  }
  assert.ok(!table.stdout.includes("\u001b"), "no terminal escape from a damaged key reaches the screen");

  // Filters apply to the unreadable records too.
  const onlyY = JSON.parse((await f.ok("c", ["status", "--json", "--host", "y"])).stdout) as {
    unreadable: Unreadable[];
  };
  assert.deepEqual(onlyY.unreadable.map((u) => u.key).sort(), ["HOST", "REPO#\u001b[31mred"]);
});

Deno.test("the daemon replaces its own damaged records and removes those of unconfigured repositories", async () => {
  await using f = await stateFleet();
  await plant(f, "a", "HOST", "not a host record", { rev: { N: "40" } });
  await plant(f, "a", "REPO#repo1", { name: "repo1" }, { rev: { S: "damaged" } });
  await plant(f, "a", "REPO#gone", "{", { rev: { N: "1e30" } });
  await plant(f, "x", "HOST", hostRecord("x", { heartbeatAt: new Date().toISOString() }));
  await plant(f, "x", "REPO#other", "{");

  const before = JSON.parse((await f.ok("c", ["status", "--json"])).stdout) as { unreadable: Unreadable[] };
  assert.equal(before.unreadable.filter((u) => u.hostname === "a").length, 3);

  await f.ok("a", ["run", "--once", "--no-hooks"]);
  const after = JSON.parse((await f.ok("c", ["status", "--json"])).stdout) as
    & Awaited<
      ReturnType<typeof statusJson>
    >
    & { unreadable: Unreadable[] };
  assert.deepEqual(after.unreadable.map((u) => `${u.hostname} ${u.key}`), ["x REPO#other"]);
  assert.equal(repoOf(after, "a", "repo1")?.head, await f.machine("a").head("repo1"));
  assert.equal(after.hosts.find((h) => h.hostname === "a")?.online, true);
});
