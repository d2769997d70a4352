import assert from "node:assert/strict";
import { HostRevisions, hostRevisions } from "./host_revisions.ts";
import { MemoryStore } from "./memory_store.ts";
import { repo } from "../report/_testing.ts";

function counter(highest: number | (() => Promise<number>)) {
  let reads = 0;
  const revisions = new HostRevisions(() => {
    reads++;
    return typeof highest === "number" ? Promise.resolve(highest) : highest();
  });
  return { revisions, reads: () => reads };
}

Deno.test("HostRevisions numbers tickets one above the highest stored revision", async () => {
  const { revisions } = counter(0);
  revisions.learn(41);
  assert.equal(await revisions.revision(revisions.take()), 42);
  assert.equal(await revisions.revision(revisions.take()), 43);
});

Deno.test("HostRevisions numbers tickets taken before the store answered in the order taken", async () => {
  const { revisions, reads } = counter(100);
  const first = revisions.take();
  const second = revisions.take();
  // The later ticket is resolved first: it still gets the higher revision.
  assert.equal(await revisions.revision(second), 102);
  assert.equal(await revisions.revision(first), 101);
  assert.equal(await revisions.revision(revisions.take()), 103);
  assert.equal(reads(), 1);
});

Deno.test("HostRevisions reads the store once for tickets resolved together", async () => {
  const { revisions, reads } = counter(7);
  const tickets = [revisions.take(), revisions.take(), revisions.take()];
  assert.deepEqual(await Promise.all(tickets.map((t) => revisions.revision(t))), [8, 9, 10]);
  assert.equal(reads(), 1);
});

Deno.test("HostRevisions tries the store again after it failed", async () => {
  let fail = true;
  const { revisions, reads } = counter(() =>
    fail ? Promise.reject(new Error("unreachable")) : Promise.resolve(5)
  );
  const ticket = revisions.take();
  await assert.rejects(() => revisions.revision(ticket), /unreachable/);
  fail = false;
  assert.equal(await revisions.revision(ticket), 6);
  assert.equal(reads(), 2);
});

Deno.test("HostRevisions.learn() only ever raises the counter", async () => {
  const { revisions } = counter(0);
  revisions.learn(10);
  revisions.learn(3);
  assert.equal(await revisions.revision(revisions.take()), 11);
  revisions.learn(50);
  assert.equal(await revisions.revision(revisions.take()), 51);
});

Deno.test("HostRevisions counts a damaged stored revision as none", async () => {
  for (const damaged of [-4, 1.5, Number.NaN, 1e30, Number.POSITIVE_INFINITY]) {
    const { revisions } = counter(0);
    revisions.learn(damaged);
    assert.equal(await revisions.revision(revisions.take()), 1, String(damaged));
  }
});

Deno.test("HostRevisions never consults a clock", async () => {
  const { revisions } = counter(3);
  const realNow = Date.now;
  Date.now = () => {
    throw new Error("the clock was read");
  };
  try {
    assert.equal(await revisions.revision(revisions.take()), 4);
  } finally {
    Date.now = realNow;
  }
});

Deno.test("hostRevisions() shares one counter per store and host", async () => {
  const store = new MemoryStore();
  await store.putRepository("h", repo("r"), 9);
  const a = hostRevisions(store, "h");
  assert.equal(hostRevisions(store, "h"), a);
  assert.notEqual(hostRevisions(store, "other"), a);
  assert.notEqual(hostRevisions(new MemoryStore(), "h"), a);
  assert.equal(await a.revision(a.take()), 10);
});
