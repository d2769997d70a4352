/**
 * DynamoStore against two DynamoDB implementations: dynalite (what the other tests use) and AWS's own
 * DynamoDB Local, so that a feature dynalite gets wrong or lacks cannot pass unnoticed. Each backend starts
 * once for the file; every case has a table of its own.
 */

import assert from "node:assert/strict";
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoStore } from "../../src/store/dynamo_store.ts";
import { startEmulatorProcess, TEST_CREDENTIALS, TEST_REGION } from "../helpers/emulators.ts";
import {
  dynamoDbLocalAvailability,
  dynamoDbLocalRequired,
  startDynamoDbLocal,
} from "../helpers/dynamodb_local.ts";
import { createStateTable, hostRecord, repoStatus } from "../helpers/records.ts";
import { ensureTable } from "../../src/aws/provision_table.ts";

const local = await dynamoDbLocalAvailability();
const skipLocal = !local.ok && !dynamoDbLocalRequired();
if (!local.ok && skipLocal) console.log(`skipped: DynamoStore on DynamoDB Local: ${local.reason}`);

Deno.test("DynamoStore keeps its contract on dynalite", async (t) => {
  await using emulators = await startEmulatorProcess();
  await storeContract(t, emulators.dynamodb, "dynalite");
});

Deno.test({
  name: `DynamoStore keeps its contract on DynamoDB Local${local.ok ? "" : ` (skipped: ${local.reason})`}`,
  ignore: skipLocal,
  async fn(t) {
    if (!local.ok) throw new Error(`DynamoDB Local is required here but missing: ${local.reason}`);
    await using dynamoDbLocal = await startDynamoDbLocal(local.dir);
    await storeContract(t, dynamoDbLocal.endpoint, "local");
  },
});

interface Fixture extends Disposable {
  client: DynamoDBClient;
  store: DynamoStore;
  table: string;
  /** Names of the commands sent so far, in order. */
  commands: string[];
  plant(item: Record<string, { S: string } | { N: string }>): Promise<void>;
}

let tables = 0;

async function fixture(endpoint: string, options: { hostIndex?: boolean } = {}): Promise<Fixture> {
  const client = new DynamoDBClient({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    endpoint,
    maxAttempts: 1,
  });
  const commands: string[] = [];
  client.middlewareStack.add((next, context) => (args) => {
    commands.push(String(context.commandName));
    return next(args);
  }, { step: "initialize" });
  const table = `state-${++tables}`;
  await createStateTable(client, table, options);
  return {
    client,
    store: new DynamoStore(client, table),
    table,
    commands,
    async plant(item) {
      await client.send(new PutItemCommand({ TableName: table, Item: item }));
    },
    [Symbol.dispose]: () => client.destroy(),
  };
}

function planted(hostname: string, key: string, data: unknown, extra: Record<string, { N: string }> = {}) {
  return {
    hostname: { S: hostname },
    key: { S: key },
    data: { S: typeof data === "string" ? data : JSON.stringify(data) },
    ...extra,
  };
}

async function storeContract(
  t: Deno.TestContext,
  endpoint: string,
  backend: "dynalite" | "local",
): Promise<void> {
  const step = (name: string, body: (f: Fixture) => Promise<void>, options: { hostIndex?: boolean } = {}) =>
    t.step(name, async () => {
      using f = await fixture(endpoint, options);
      await body(f);
    });

  await step("a higher revision replaces a repository; the same or a lower one is refused", async (f) => {
    assert.deepEqual(await f.store.putRepository("h", repoStatus("r", { ahead: 1 }), 5), {
      outcome: "written",
    });
    assert.deepEqual(await f.store.putRepository("h", repoStatus("r", { ahead: 2 }), 5), {
      outcome: "stale",
      storedRevision: 5,
    });
    assert.deepEqual(await f.store.putRepository("h", repoStatus("r", { ahead: 3 }), 4), {
      outcome: "stale",
      storedRevision: 5,
    });
    assert.deepEqual(await f.store.putRepository("h", repoStatus("r", { ahead: 4 }), 6), {
      outcome: "written",
    });
    const [stored] = await f.store.listRepositories("h");
    assert.equal(stored?.ahead, 4);
  });

  await step("a repeated write that finds itself stored counts as written", async (f) => {
    const status = repoStatus("r", { ahead: 1 });
    await f.store.putRepository("h", status, 3);
    assert.deepEqual(await f.store.putRepository("h", status, 3), { outcome: "written" });
    assert.deepEqual(await f.store.putRepository("h", repoStatus("r", { ahead: 2 }), 3), {
      outcome: "stale",
      storedRevision: 3,
    });
  });

  await step("the order is the revision's, never the observation time's", async (f) => {
    const later = repoStatus("r", { updatedAt: "2030-01-01T00:00:00.000Z", ahead: 1 });
    const earlier = repoStatus("r", { updatedAt: "2020-01-01T00:00:00.000Z", ahead: 2 });
    await f.store.putRepository("h", later, 1);
    assert.equal((await f.store.putRepository("h", earlier, 2)).outcome, "written");
    await f.store.putHost(hostRecord("h", { heartbeatAt: "2030-01-01T00:00:00.000Z" }), 3);
    assert.equal(
      (await f.store.putHost(hostRecord("h", { heartbeatAt: "2020-01-01T00:00:00.000Z" }), 4)).outcome,
      "written",
    );
    assert.equal((await f.store.putHost(hostRecord("h", { version: "old" }), 2)).outcome, "stale");
    const snapshot = await f.store.snapshot();
    assert.equal(snapshot.hosts[0]?.heartbeatAt, "2020-01-01T00:00:00.000Z");
    assert.equal(snapshot.repositories.get("h")?.[0]?.ahead, 2);
  });

  await step(
    "an item of the earlier format, without a revision, is overwritten whatever its time",
    async (f) => {
      await f.plant({
        ...planted("h", "REPO#r", repoStatus("r", { updatedAt: "2099-01-01T00:00:00.000Z" })),
        observedAt: { S: "2099-01-01T00:00:00.000Z" },
      });
      await f.plant({
        ...planted("h", "HOST", hostRecord("h")),
        observedAt: { S: "2099-01-01T00:00:00.000Z" },
      });
      assert.equal((await f.store.putRepository("h", repoStatus("r", { ahead: 7 }), 1)).outcome, "written");
      assert.equal((await f.store.putHost(hostRecord("h", { version: "new" }), 2)).outcome, "written");
      const snapshot = await f.store.snapshot();
      assert.equal(snapshot.repositories.get("h")?.[0]?.ahead, 7);
      assert.equal(snapshot.hosts[0]?.version, "new");
    },
  );

  await step("a damaged revision never locks its host out of the item", async (f) => {
    await f.plant({ ...planted("h", "REPO#text", repoStatus("text")), rev: { S: "seven" } } as never);
    await f.plant(planted("h", "REPO#huge", repoStatus("huge"), { rev: { N: "1e30" } }));
    await f.plant(planted("h", "REPO#negative", repoStatus("negative"), { rev: { N: "-5" } }));
    for (const name of ["text", "huge", "negative"]) {
      assert.equal((await f.store.putRepository("h", repoStatus(name), 1)).outcome, "written", name);
    }
    // A damaged revision does not raise the counter either.
    assert.equal((await f.store.hostItems("h")).highestRevision, 1);
  });

  await step("hostItems() reads one host's items and the highest revision among them", async (f) => {
    await f.store.putRepository("a", repoStatus("x"), 3);
    await f.store.putRepository("a", repoStatus("y"), 9);
    await f.store.putHost(hostRecord("a"), 4);
    await f.store.putRepository("b", repoStatus("x"), 50);
    const items = await f.store.hostItems("a");
    assert.deepEqual(items.repositories.map((r) => r.name).sort(), ["x", "y"]);
    assert.equal(items.highestRevision, 9);
    assert.deepEqual(items.unreadable, []);
    assert.deepEqual(await f.store.hostItems("nobody"), {
      repositories: [],
      unreadable: [],
      highestRevision: 0,
    });
  });

  await step("deleteRepository() removes one repository and leaves the others", async (f) => {
    await f.store.putRepository("a", repoStatus("x"), 1);
    await f.store.putRepository("a", repoStatus("y"), 2);
    await f.store.putRepository("b", repoStatus("x"), 1);
    await f.store.deleteRepository("a", "x");
    await f.store.deleteRepository("a", "never-there");
    assert.deepEqual((await f.store.listRepositories("a")).map((r) => r.name), ["y"]);
    assert.deepEqual((await f.store.listRepositories("b")).map((r) => r.name), ["x"]);
    // A deleted item keeps no revision: the next write of it lands with any.
    assert.equal((await f.store.putRepository("a", repoStatus("x"), 1)).outcome, "written");
  });

  await step("hostItems() and snapshot() read every page of more than 1 MB", async (f) => {
    // About 40 KB each: 30 of them make three Query and Scan pages of DynamoDB's 1 MB.
    const entries = Array.from({ length: 10 }, (_, i) => ({ code: "??", path: `${i}`.padEnd(4000, "x") }));
    const count = 30;
    for (let i = 0; i < count; i++) {
      const name = `repo-${String(i).padStart(2, "0")}`;
      const changes = { staged: 0, unstaged: 0, untracked: 10, conflicted: 0, entries, truncated: false };
      await f.store.putRepository("big", repoStatus(name, { clean: false, changes }), i + 1);
    }
    await f.store.putHost(hostRecord("big"), count + 1);
    await f.store.putRepository("small", repoStatus("only"), 1);
    await f.store.putHost(hostRecord("small"), 2);

    f.commands.length = 0;
    const items = await f.store.hostItems("big");
    assert.equal(items.repositories.length, count);
    assert.equal(items.highestRevision, count + 1);
    assert.ok(f.commands.filter((c) => c === "QueryCommand").length >= 2, f.commands.join(","));

    f.commands.length = 0;
    const snapshot = await f.store.snapshot();
    assert.equal(snapshot.repositories.get("big")?.length, count);
    assert.deepEqual(snapshot.repositories.get("small")?.map((r) => r.name), ["only"]);
    assert.deepEqual(snapshot.hosts.map((h) => h.hostname), ["big", "small"]);
    // The hosts from the index, then each host's partition: never the whole table.
    assert.ok(!f.commands.includes("ScanCommand"), f.commands.join(","));
    assert.ok(f.commands.filter((c) => c === "QueryCommand").length >= 4, f.commands.join(","));
  });

  await step("a table made before the index is read whole, with the same result", async (f) => {
    await f.store.putRepository("a", repoStatus("x"), 1);
    await f.store.putHost(hostRecord("a"), 2);
    await f.store.putRepository("b", repoStatus("y"), 1);
    f.commands.length = 0;
    const snapshot = await f.store.snapshot();
    assert.deepEqual(snapshot.hosts.map((h) => h.hostname), ["a"]);
    assert.deepEqual([...snapshot.repositories.keys()].sort(), ["a", "b"]);
    assert.deepEqual(f.commands, ["QueryCommand", "ScanCommand"]);
  }, { hostIndex: false });

  await step("setup-aws adds the index to a table made before it, where DynamoDB can", async (f) => {
    await f.store.putRepository("a", repoStatus("x"), 1);
    await f.store.putHost(hostRecord("a"), 2);
    const step = await ensureTable(f.client, f.table, false, "on-demand");
    if (backend === "dynalite") {
      // dynalite cannot add an index to a table: said, and the table still works.
      assert.equal(step.action, "exists");
      assert.match(step.detail ?? "", /^Adding index "hosts" failed: .*; status reads the whole table$/);
      return;
    }
    assert.equal(step.action, "updated", JSON.stringify(step));
    f.commands.length = 0;
    const snapshot = await f.store.snapshot();
    assert.deepEqual(snapshot.repositories.get("a")?.map((r) => r.name), ["x"]);
    assert.ok(!f.commands.includes("ScanCommand"), f.commands.join(","));
    assert.equal((await ensureTable(f.client, f.table, false, "on-demand")).action, "exists");
  }, { hostIndex: false });

  await step("a half forgotten host is still listed: its host record goes last", async (f) => {
    for (let i = 0; i < 30; i++) await f.store.putRepository("old", repoStatus(`r${i}`), i + 1);
    await f.store.putHost(hostRecord("old"), 31);
    // The second batch of deletes fails, as a dropped connection would end it.
    let batches = 0;
    f.client.middlewareStack.add((next, context) => (args) => {
      if (context.commandName === "BatchWriteItemCommand" && ++batches === 2) {
        throw new Error("connection reset");
      }
      return next(args);
    }, { step: "initialize", name: "failSecondBatch" });
    await assert.rejects(() => f.store.deleteHost("old"), /connection reset/);
    const half = await f.store.snapshot();
    assert.deepEqual(half.hosts.map((h) => h.hostname), ["old"]);
    assert.equal(half.repositories.get("old")?.length, 5);
    f.client.middlewareStack.remove("failSecondBatch");
    assert.equal(await f.store.deleteHost("old"), 6);
    const after = await f.store.snapshot();
    assert.deepEqual(after.hosts, []);
    assert.equal(after.repositories.size, 0);
  });

  await step("damaged items are reported as unreadable while the good ones are read", async (f) => {
    await f.store.putRepository("h", repoStatus("good"), 1);
    await f.store.putHost(hostRecord("h"), 2);
    await f.plant(planted("h", "REPO#notjson", "{oops", { rev: { N: "12" } }));
    await f.plant(planted("h", "REPO#wrongtype", { ...repoStatus("wrongtype"), ahead: "three" }));
    await f.plant(planted("h", "REPO#mismatch", repoStatus("other")));
    await f.plant({ hostname: { S: "h" }, key: { S: "REPO#nodata" }, data: { N: "1" } });
    await f.plant(planted("other", "HOST", hostRecord("someone-else")));
    await f.plant(planted("h", "FUTURE#kind", "whatever"));
    await f.plant(planted("h", "REPO#newer", { ...repoStatus("newer"), addedLater: { x: 1 } }));

    const snapshot = await f.store.snapshot();
    assert.deepEqual(snapshot.repositories.get("h")?.map((r) => r.name).sort(), ["good", "newer"]);
    const newer = snapshot.repositories.get("h")?.find((r) => r.name === "newer") as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(newer.addedLater, { x: 1 });
    const reasons = new Map(snapshot.unreadable?.map((u) => [`${u.hostname} ${u.key}`, u.reason]));
    assert.deepEqual([...reasons.keys()].sort(), [
      "h REPO#mismatch",
      "h REPO#nodata",
      "h REPO#notjson",
      "h REPO#wrongtype",
      "other HOST",
    ]);
    assert.match(reasons.get("h REPO#notjson")!, /not JSON/);
    assert.match(reasons.get("h REPO#wrongtype")!, /^ahead: /);
    assert.match(reasons.get("h REPO#mismatch")!, /name "other" does not match/);
    assert.match(reasons.get("h REPO#nodata")!, /no data attribute/);
    assert.match(reasons.get("other HOST")!, /hostname "someone-else" does not match/);

    const items = await f.store.hostItems("h");
    assert.equal(items.unreadable.length, 4);
    assert.equal(items.highestRevision, 12);
    await f.client.send(
      new DeleteItemCommand({
        TableName: f.table,
        Key: { hostname: { S: "h" }, key: { S: "REPO#notjson" } },
      }),
    );
    assert.equal((await f.store.hostItems("h")).unreadable.length, 3);
  });
}
