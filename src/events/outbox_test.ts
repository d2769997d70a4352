import assert from "node:assert/strict";
import { join } from "node:path";
import { Outbox } from "./outbox.ts";
import type { Publisher } from "./publisher.ts";
import { deduplicationId, type PushEvent } from "./push_event.ts";
import { OutboxRelay } from "../daemon/outbox_relay.ts";
import { type Logger, logger } from "../log/logger.ts";

const log = logger("test");

function push(n: number): PushEvent {
  return {
    v: 1,
    type: "push",
    source: "a",
    repository: "repo1",
    remote: "origin",
    refs: [{ ref: "refs/heads/main", sha: n.toString(16).padStart(40, "0") }],
    at: "2024-05-01T12:00:00.000Z",
  };
}

/** The pushed sha stands for the event: its number in push order. */
function numbers(events: PushEvent[]): number[] {
  return events.map((e) => parseInt(e.refs[0]!.sha, 16));
}

async function tempOutbox(): Promise<Outbox & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-outbox-" });
  const outbox = new Outbox(join(dir, "outbox"));
  return Object.assign(outbox, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  });
}

/** Publishes into a list; fails the calls whose 1-based number is in `failing`. */
class RecordingPublisher implements Publisher {
  readonly published: PushEvent[] = [];
  calls = 0;
  constructor(private readonly failing: Set<number> = new Set()) {}
  publish(event: PushEvent): Promise<void> {
    this.calls++;
    if (this.failing.has(this.calls)) return Promise.reject(new Error("SNS is down"));
    this.published.push(event);
    return Promise.resolve();
  }
}

const PUSHES = Array.from({ length: 12 }, (_, i) => i + 1);

Deno.test("the outbox lists entries in push order, not in the order of their ids", async () => {
  await using outbox = await tempOutbox();
  const ids = PUSHES.map((n) => deduplicationId(push(n)));
  assert.notDeepEqual([...ids].sort(), ids, "the ids alone would list these out of order");
  for (const n of PUSHES) await outbox.add(push(n));
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), PUSHES);
});

Deno.test("the outbox keeps push order across a restart", async () => {
  await using outbox = await tempOutbox();
  for (const n of PUSHES) await outbox.add(push(n));
  const reopened = new Outbox(outbox.dir);
  assert.deepEqual(numbers((await reopened.list(log)).map((e) => e.event)), PUSHES);
});

Deno.test("the outbox numbers a new entry after the highest one still waiting", async () => {
  await using outbox = await tempOutbox();
  for (const n of [1, 2, 3]) await outbox.add(push(n));
  const [first, second] = await outbox.list(log);
  await outbox.remove(first!);
  await outbox.remove(second!);
  await outbox.add(push(4));
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [3, 4]);
});

Deno.test("the outbox keeps one entry, in its first place, for the same push added twice", async () => {
  await using outbox = await tempOutbox();
  const first = await outbox.add(push(1));
  await outbox.add(push(2));
  assert.equal(await outbox.add({ ...push(1), at: "2024-05-01T12:01:00.000Z" }), first);
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [1, 2]);
});

Deno.test("the outbox lists entries named before sequence numbers existed first", async () => {
  await using outbox = await tempOutbox();
  await outbox.add(push(2));
  const legacy = join(outbox.dir, `${deduplicationId(push(1))}.json`);
  await Deno.writeTextFile(legacy, JSON.stringify(push(1)));
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [1, 2]);
});

Deno.test("the outbox ignores temp files and entries set aside as unreadable", async () => {
  await using outbox = await tempOutbox();
  await outbox.add(push(1));
  await Deno.writeTextFile(join(outbox.dir, ".000000000009-x.json.1234.tmp"), "{");
  await Deno.writeTextFile(join(outbox.dir, "000000000008-y.json.bad"), "{");
  await Deno.writeTextFile(join(outbox.dir, "000000000007-z.json"), "not an event");
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [1]);
  await outbox.add(push(2));
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [1, 2]);
});

Deno.test("a publish failure in the middle leaves the rest waiting, then they go out in push order", async () => {
  await using outbox = await tempOutbox();
  for (const n of PUSHES) await outbox.add(push(n));
  const publisher = new RecordingPublisher(new Set([4]));
  const relay = new OutboxRelay(outbox, publisher, log);
  await relay.flush();
  assert.deepEqual(numbers(publisher.published), [1, 2, 3]);
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), PUSHES.slice(3));
  await relay.flush();
  assert.deepEqual(numbers(publisher.published), PUSHES);
  assert.deepEqual(await outbox.list(log), []);
});

Deno.test("after a restart the relay publishes what a failed one left, in push order", async () => {
  await using outbox = await tempOutbox();
  for (const n of PUSHES.slice(0, 6)) await outbox.add(push(n));
  const down = new RecordingPublisher(new Set([3, 4, 5, 6, 7, 8]));
  await new OutboxRelay(outbox, down, log).flush();
  for (const n of PUSHES.slice(6)) await outbox.add(push(n));
  const up = new RecordingPublisher();
  await new OutboxRelay(new Outbox(outbox.dir), up, log).flush();
  assert.deepEqual(numbers([...down.published, ...up.published]), PUSHES);
});

Deno.test("a stray entry with a huge sequence number does not hide the next push from the outbox", async () => {
  await using outbox = await tempOutbox();
  await Deno.mkdir(outbox.dir, { recursive: true });
  await Deno.writeTextFile(join(outbox.dir, "9999999999999999-stray.json"), JSON.stringify(push(1)));
  await outbox.add(push(2));
  await outbox.add(push(3));
  assert.deepEqual(numbers((await outbox.list(log)).map((e) => e.event)), [1, 2, 3]);
});

/** Counts warnings; the outbox logs nothing else. */
function countingLog(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = { warn: (message: string) => void warnings.push(message) } as unknown as Logger;
  return { log, warnings };
}

Deno.test("a damaged entry that cannot be set aside is skipped and logged once, and the rest still go out", async () => {
  await using outbox = await tempOutbox();
  await outbox.add(push(1));
  const damaged = join(outbox.dir, "000000000002-damaged.json");
  await Deno.writeTextFile(damaged, "{not json");
  // A folder where the set-aside copy would go: the rename fails for every user, root included.
  await Deno.mkdir(`${damaged}.bad/full`, { recursive: true });
  await outbox.add(push(3));
  const { log: counting, warnings } = countingLog();
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(numbers((await outbox.list(counting)).map((e) => e.event)), [1, 3]);
  }
  assert.equal(warnings.length, 1, warnings.join("\n"));
});
