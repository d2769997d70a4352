import assert from "node:assert/strict";
import { dirty, hostRecord, repo, snapshot } from "../report/_testing.ts";
import type { StoreSnapshot } from "../store/store.ts";
import { systemClock } from "../util/clock.ts";
import { Feed, type FeedEvent } from "./feed.ts";

function countingStore(initial: StoreSnapshot) {
  let current = initial;
  let failing: Error | null = null;
  const store = {
    reads: 0,
    set(next: StoreSnapshot) {
      current = next;
    },
    fail(error: Error | null) {
      failing = error;
    },
    read: () => {
      store.reads++;
      return failing ? Promise.reject(failing) : Promise.resolve(current);
    },
  };
  return store;
}

const until = async (what: string, check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const one = (name = "x", dirtyRepo = false) =>
  snapshot([hostRecord("a", { heartbeatAt: new Date().toISOString() })], {
    a: [dirtyRepo ? dirty(name) : repo(name)],
  });

Deno.test("Feed.report() serves many callers from one read per poll period", async () => {
  const store = countingStore(one());
  const feed = new Feed({ read: store.read, clock: systemClock, pollMs: 60_000 });
  const reports = await Promise.all(Array.from({ length: 20 }, () => feed.report()));
  assert.equal(store.reads, 1);
  assert.equal(new Set(reports).size, 1);
  await feed.report();
  assert.equal(store.reads, 1);
  feed.close();
});

Deno.test("Feed sends each change once to every client, and stops reading when nobody watches", async () => {
  const store = countingStore(one());
  const feed = new Feed({ read: store.read, clock: systemClock, pollMs: 20 });
  const first: FeedEvent[] = [];
  const second: FeedEvent[] = [];
  const a = feed.subscribe((e) => first.push(e), null);
  const b = feed.subscribe((e) => second.push(e), null);
  await until("a first read", () => store.reads > 0);
  store.set(one("x", true));
  await until("the change", () => first.some((e) => e.event === "repo"));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const repoEvents = first.filter((e) => e.event === "repo");
  assert.equal(repoEvents.length, 1);
  assert.deepEqual((repoEvents[0]!.data as { cell: { attention: string[] } }).cell.attention, [
    "uncommitted",
  ]);
  assert.deepEqual(second.map((e) => e.id), first.map((e) => e.id));
  a.close();
  b.close();
  const reads = store.reads;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.ok(store.reads <= reads + 1, `no reads without clients (${store.reads - reads} more)`);
  feed.close();
});

Deno.test("Feed gives a reconnecting client what it missed, or null when it must start over", async () => {
  const store = countingStore(one());
  const feed = new Feed({ read: store.read, clock: systemClock, pollMs: 60_000 });
  await feed.report();
  const seen = feed.lastEventId();
  feed.emit("silenced", { silenced: [] });
  feed.emit("silenced", { silenced: [{ host: "a", repo: "x" }] });
  const again = feed.subscribe(() => {}, seen);
  assert.deepEqual(again.missed?.map((e) => e.event), ["silenced", "silenced"]);
  again.close();
  for (const id of ["other-3", "garbage", `${seen.split("-")[0]}-999999`]) {
    const fresh = feed.subscribe(() => {}, id);
    assert.equal(fresh.missed, null, id);
    fresh.close();
  }
  const none = feed.subscribe(() => {}, feed.lastEventId());
  assert.deepEqual(none.missed, []);
  none.close();
  feed.close();
});

Deno.test("Feed keeps the last report through a failed read and says when reads work again", async () => {
  const store = countingStore(one());
  const problems: (string | null)[] = [];
  const feed = new Feed({
    read: store.read,
    clock: systemClock,
    pollMs: 0,
    onReadProblem: (m) => problems.push(m),
  });
  const good = await feed.report();
  store.fail(new Error("connect ECONNREFUSED"));
  assert.equal(await feed.report(), good);
  assert.match(feed.problem!, /cannot read the store: connect ECONNREFUSED/);
  store.fail(null);
  await feed.report();
  assert.equal(feed.problem, null);
  assert.deepEqual(problems, ["cannot read the store: connect ECONNREFUSED", null]);
  feed.close();
});

Deno.test("Feed's first read failing is an error for the caller", async () => {
  const store = countingStore(one());
  store.fail(new Error("no table"));
  const feed = new Feed({ read: store.read, clock: systemClock, pollMs: 0 });
  await assert.rejects(() => feed.report(), /no table/);
  feed.close();
});

Deno.test("Feed sends the missing list when it changes, and not on every read", async () => {
  const store = countingStore(one());
  let missing: { name: string; remoteUrl: string; hosts: string[] }[] = [];
  const feed = new Feed({
    read: store.read,
    clock: systemClock,
    pollMs: 20,
    missing: () => Promise.resolve(missing),
  });
  const events: FeedEvent[] = [];
  const stop = feed.subscribe((e) => events.push(e), null);
  await until("a first read", () => store.reads > 0);
  missing = [{ name: "x", remoteUrl: "/srv/x.git", hosts: ["a"] }];
  await until("the missing event", () => events.some((e) => e.event === "missing"));
  const reads = store.reads;
  await until("more reads", () => store.reads > reads + 3);
  const sent = events.filter((e) => e.event === "missing");
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]?.data, { missingHere: missing });
  stop.close();
  feed.close();
});
