/**
 * The order of a host's writes, on real repositories and the real DynamoDB store (on the emulator): a clock
 * that jumps, a restart, two processes of one host, and two reads whose writes cross.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { RepoMonitor } from "../../src/daemon/monitor.ts";
import { type Clock } from "../../src/util/clock.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import type { RepoStatus } from "../../src/state/repo_status.ts";
import { DynamoStore } from "../../src/store/dynamo_store.ts";
import type { Store, WriteResult } from "../../src/store/store.ts";
import { logger } from "../../src/log/logger.ts";
import {
  type EmulatorHandle,
  startEmulatorProcess,
  TEST_CREDENTIALS,
  TEST_REGION,
} from "../helpers/emulators.ts";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { createStateTable } from "../helpers/records.ts";

const DAY_MS = 86_400_000;

/** A clock the test sets; `sleep` is real, the monitor only sleeps between fast-forward retries. */
class FakeClock implements Clock {
  constructor(public ms = Date.now()) {}
  now(): Date {
    return new Date(this.ms);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

let tables = 0;

/** A store as one process of a host has it: its own client, hence its own revision counter. */
function processStore(emulators: EmulatorHandle, table: string): DynamoStore & Disposable {
  const client = new DynamoDBClient({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    endpoint: emulators.dynamodb,
    maxAttempts: 1,
  });
  return Object.assign(new DynamoStore(client, table), { [Symbol.dispose]: () => client.destroy() });
}

async function setup() {
  const emulators = await startEmulatorProcess();
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const table = `order-${++tables}`;
  using admin = processStore(emulators, table);
  await createStateTable(admin.client, table);
  const a = ws.machine("a");
  return {
    a,
    table,
    emulators,
    monitor(store: Store, clock: Clock = new FakeClock()) {
      return new RepoMonitor({
        runner: new DenoGitRunner({ env: gitEnvironment((name) => a.env[name]) }),
        store,
        hostname: "a",
        clock,
        log: logger("test"),
        fetchTimeoutMs: 10_000,
      }, [{ name: "repo1", path: a.repoPath("repo1"), autoPull: true }]);
    },
    async [Symbol.asyncDispose]() {
      await ws[Symbol.asyncDispose]();
      await emulators[Symbol.asyncDispose]();
    },
  };
}

async function stored(store: Store): Promise<RepoStatus> {
  const [status] = await store.listRepositories("a");
  assert.ok(status, "repo1 is in the store");
  return status;
}

async function untracked(a: Machine, file: string): Promise<void> {
  await Deno.writeTextFile(join(a.repoPath("repo1"), file), "x\n");
}

Deno.test("a monitor whose clock jumps a day ahead and back keeps writing its repository", async () => {
  await using s = await setup();
  using store = processStore(s.emulators, s.table);
  const realNow = Date.now();
  const clock = new FakeClock(realNow + DAY_MS);
  const monitor = s.monitor(store, clock);
  await monitor.seedFromStore();
  assert.equal(await monitor.refresh("repo1"), true);
  assert.equal(Date.parse((await stored(store)).updatedAt), realNow + DAY_MS);

  clock.ms = realNow;
  const head = await s.a.commitFile("repo1", "after.txt", "after\n", "after the clock was corrected");
  assert.equal(await monitor.refresh("repo1"), true, "the state read after the jump back is written");
  const after = await stored(store);
  assert.equal(after.head, head);
  assert.equal(Date.parse(after.updatedAt), realNow);
});

Deno.test("a restarted monitor numbers its writes above its earlier life's, whatever the clock", async () => {
  await using s = await setup();
  const realNow = Date.now();
  {
    using first = processStore(s.emulators, s.table);
    const monitor = s.monitor(first, new FakeClock(realNow + DAY_MS));
    await monitor.seedFromStore();
    await monitor.refresh("repo1");
  }
  using second = processStore(s.emulators, s.table);
  const monitor = s.monitor(second, new FakeClock(realNow));
  await monitor.seedFromStore();
  await untracked(s.a, "new.txt");
  assert.equal(await monitor.refresh("repo1"), true);
  assert.equal((await stored(second)).changes.untracked, 1);
});

Deno.test("a monitor that could not read the store at start still numbers above what it holds", async () => {
  await using s = await setup();
  {
    using first = processStore(s.emulators, s.table);
    const monitor = s.monitor(first);
    await monitor.seedFromStore();
    for (let i = 0; i < 3; i++) {
      await untracked(s.a, `early-${i}.txt`);
      await monitor.refresh("repo1");
    }
  }
  // No seedFromStore: the first write learns the highest revision before it is sent.
  using second = processStore(s.emulators, s.table);
  await untracked(s.a, "late.txt");
  assert.equal(await s.monitor(second).refresh("repo1"), true);
  assert.equal((await stored(second)).changes.untracked, 4);
});

Deno.test("two processes of one host both keep writing, each read landing over the other's", async () => {
  await using s = await setup();
  using storeA = processStore(s.emulators, s.table);
  using storeB = processStore(s.emulators, s.table);
  const monitorA = s.monitor(storeA);
  const monitorB = s.monitor(storeB);
  // Both learn the same highest revision; then A runs ahead of B's counter.
  await monitorA.seedFromStore();
  await monitorB.seedFromStore();
  for (let i = 0; i < 5; i++) {
    await untracked(s.a, `a-${i}.txt`);
    await monitorA.refresh("repo1");
  }
  for (let round = 0; round < 3; round++) {
    await untracked(s.a, `b-${round}.txt`);
    await monitorB.refresh("repo1");
    assert.equal((await stored(storeB)).changes.untracked, 6 + 2 * round, `B's read lands in round ${round}`);
    await untracked(s.a, `a-again-${round}.txt`);
    await monitorA.refresh("repo1");
    assert.equal((await stored(storeA)).changes.untracked, 7 + 2 * round, `A's read lands in round ${round}`);
  }
});

/** Repository writes that fail or wait, one step per write in order; later writes go straight through. */
class ScriptedStore extends DynamoStore {
  held: (() => void) | null = null;
  constructor(
    client: DynamoDBClient,
    table: string,
    private readonly script: Array<"fail" | "hold" | "pass">,
  ) {
    super(client, table);
  }

  override async putRepository(hostname: string, status: RepoStatus, revision: number): Promise<WriteResult> {
    const step = this.script.shift();
    if (step === "fail") throw new Error("the store is unreachable");
    if (step === "hold") await new Promise<void>((resolve) => this.held = resolve);
    return await super.putRepository(hostname, status, revision);
  }
}

Deno.test("a retried older state never overwrites a newer read whose write is still in flight", async () => {
  await using s = await setup();
  using admin = processStore(s.emulators, s.table);
  const store = new ScriptedStore(admin.client, s.table, ["fail", "hold", "pass"]);
  const monitor = s.monitor(store);
  await monitor.seedFromStore();
  await untracked(s.a, "first.txt");
  assert.equal(await monitor.refresh("repo1"), false, "the first state is left unwritten");
  assert.equal(monitor.hasUnwritten(), true);

  await untracked(s.a, "second.txt");
  const newer = monitor.refresh("repo1");
  for (let i = 0; i < 1000 && !store.held; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(store.held, "the newer state's write was sent");
  // The heartbeat's retry sends the older state while the newer one waits.
  await monitor.flushUnwritten();
  store.held();
  assert.equal(await newer, true, "the newer read lands over the retried older one");
  assert.equal((await stored(store)).changes.untracked, 2);
});

Deno.test("items a later version wrote with a higher or fractional revision do not lock the host out", async () => {
  await using s = await setup();
  for (const rev of ["9007199254740990", "1000.5"]) {
    {
      using first = processStore(s.emulators, s.table);
      const monitor = s.monitor(first);
      await monitor.seedFromStore();
      await untracked(s.a, `before-${rev}.txt`);
      await monitor.refresh("repo1");
      await first.client.send(
        new UpdateItemCommand({
          TableName: s.table,
          Key: { hostname: { S: "a" }, key: { S: "REPO#repo1" } },
          UpdateExpression: "SET #rev = :rev",
          ExpressionAttributeNames: { "#rev": "rev" },
          ExpressionAttributeValues: { ":rev": { N: rev } },
        }),
      );
    }
    using later = processStore(s.emulators, s.table);
    const monitor = s.monitor(later);
    await monitor.seedFromStore();
    for (let i = 0; i < 3; i++) {
      await untracked(s.a, `after-${rev}-${i}.txt`);
      assert.equal(await monitor.refresh("repo1"), true, `write ${i + 1} over rev ${rev}`);
      const { changes } = await stored(later);
      assert.equal(changes.untracked, rev === "1000.5" ? 6 + i : 2 + i, `state ${i + 1} over rev ${rev}`);
    }
  }
});
