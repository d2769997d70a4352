/** The relay and pushes in flight: published once they landed, dropped when rejected, the mailbox shared. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Outbox } from "../events/outbox.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { LandingDeps } from "../events/landing.ts";
import { holdMailbox } from "../events/relay.ts";
import type { GitRunner } from "../git/runner.ts";
import { logger } from "../log/logger.ts";
import { OutboxRelay } from "./outbox_relay.ts";

const log = logger("test");
const OLD = "1".repeat(40);
const NEW = "2".repeat(40);

const EVENT: PushEvent = {
  v: 1,
  type: "push",
  source: "a",
  repository: "repo1",
  remote: "origin",
  refs: [{ ref: "refs/heads/main", sha: NEW }],
  at: "2026-12-02T20:00:00.000Z",
};

/** A clone whose `origin/main` the test moves, and a pushing git the test ends. */
class FakeClone implements LandingDeps {
  tracked = OLD;
  pushing = true;
  readonly runner: GitRunner = {
    run: () => Promise.resolve({ stdout: `refs/remotes/origin/main ${this.tracked}`, stderr: "", code: 0 }),
  };
  pathOf = () => "/repo";
  alive = () => Promise.resolve(this.pushing);
  now = () => Date.now();
}

async function setUp(): Promise<{ outbox: Outbox; published: PushEvent[] } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-relay-" });
  return {
    outbox: new Outbox(join(dir, "outbox")),
    published: [],
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

function relay(s: { outbox: Outbox; published: PushEvent[] }, clone: FakeClone): OutboxRelay {
  const publisher = { publish: (event: PushEvent) => (s.published.push(event), Promise.resolve()) };
  return new OutboxRelay(s.outbox, publisher, log, undefined, "a", clone);
}

Deno.test("the relay publishes a hook's push only once it landed, without its landing state", async () => {
  await using s = await setUp();
  const clone = new FakeClone();
  await s.outbox.add(EVENT, { pusher: 4242, since: Date.now() });
  const r = relay(s, clone);
  await r.flush();
  assert.deepEqual(s.published, []);
  clone.tracked = NEW;
  await r.flush();
  assert.deepEqual(s.published, [EVENT]);
  assert.deepEqual(await s.outbox.list(log), []);
  assert.ok(await r.knows(EVENT), "a push it published is one it knows");
});

Deno.test("the relay drops a push the remote rejected and publishes nothing", async () => {
  await using s = await setUp();
  const clone = new FakeClone();
  await s.outbox.add(EVENT, { pusher: 4242, since: Date.now() });
  clone.pushing = false;
  await relay(s, clone).flush();
  assert.deepEqual(s.published, []);
  assert.deepEqual(await s.outbox.list(log), []);
});

Deno.test("drain() publishes once the push landed and gives the mailbox back", async () => {
  await using s = await setUp();
  const clone = new FakeClone();
  await s.outbox.add(EVENT, { pusher: 4242, since: Date.now() });
  let polls = 0;
  const took = await relay(s, clone).drain(10_000, () => {
    if (++polls === 3) clone.tracked = NEW;
    return Promise.resolve();
  });
  assert.equal(took, true);
  assert.deepEqual(s.published, [EVENT]);
  const mailbox = await holdMailbox(s.outbox.dir, "a");
  assert.ok(mailbox, "the mailbox is free again");
  mailbox.close();
});

Deno.test("drain() leaves the outbox to the relay that holds the mailbox", async () => {
  await using s = await setUp();
  await s.outbox.add(EVENT);
  const held = await holdMailbox(s.outbox.dir, "a");
  try {
    assert.equal(await relay(s, new FakeClone()).drain(10_000, () => Promise.resolve()), false);
    assert.deepEqual(s.published, []);
  } finally {
    held?.close();
  }
});
