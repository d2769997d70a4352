/**
 * What the receive loop does with a message: delete it once taken, before the next receive (it is received
 * visible); leave it for the next daemon when this one stops, or for a later receive when it cannot be
 * handled.
 */

import assert from "node:assert/strict";
import type { QueueMessage, Subscriber } from "../events/subscriber.ts";
import { logger } from "../log/logger.ts";
import { consumeQueue } from "./consumer.ts";

const EVENT = JSON.stringify({
  v: 1,
  type: "push",
  source: "laptop",
  repository: "repo1",
  remote: "origin",
  refs: [{ ref: "refs/heads/main", sha: "0123456789abcdef0123456789abcdef01234567" }],
  at: "2026-11-23T20:40:54.994Z",
});

/** Hands out one batch, then long-polls until the loop stops; records what happened to each message. */
class OneBatchSubscriber implements Subscriber {
  readonly deleted: string[] = [];
  /** Every call in order: "receive", "delete m1". */
  readonly calls: string[] = [];
  failDeletes = 0;
  #batch: QueueMessage[] | null;

  constructor(batch: QueueMessage[], private readonly onReceive: () => void = () => {}) {
    this.#batch = batch;
  }

  receive(signal: AbortSignal): Promise<QueueMessage[]> {
    this.calls.push("receive");
    const batch = this.#batch;
    this.#batch = null;
    if (batch) {
      this.onReceive();
      return Promise.resolve(batch);
    }
    return new Promise((resolve) => signal.addEventListener("abort", () => resolve([]), { once: true }));
  }
  delete(message: QueueMessage): Promise<void> {
    this.calls.push(`delete ${message.id}`);
    if (this.failDeletes-- > 0) return Promise.reject(new Error("connection reset"));
    this.deleted.push(message.id);
    return Promise.resolve();
  }
  /** Gives the batch again, as SQS does with a message that was received visible and not deleted. */
  again(batch: QueueMessage[]): void {
    this.#batch = batch;
  }
}

function message(id: string): QueueMessage {
  return { id, body: EVENT, receiptHandle: `handle-${id}`, sentAt: null };
}

function consume(
  subscriber: Subscriber,
  stop: AbortController,
  handled: string[],
  options: { failHandling?: boolean; sleeps?: number[] } = {},
): Promise<void> {
  return consumeQueue({
    subscriber,
    log: logger("test"),
    hostname: "desktop",
    isConfigured: () => true,
    handle: (event) => {
      handled.push(event.repository);
      return options.failHandling ? Promise.reject(new Error("scheduler gone")) : Promise.resolve();
    },
    sleep: (ms) => {
      options.sleeps?.push(ms);
      return Promise.resolve();
    },
  }, stop.signal);
}

async function until(done: () => boolean): Promise<void> {
  for (let round = 0; round < 100 && !done(); round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("consumeQueue() leaves a push that arrives as the daemon stops, visible for the next one", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1")], () => stop.abort());
  const handled: string[] = [];
  await consume(subscriber, stop, handled);
  assert.deepEqual(handled, []);
  assert.deepEqual(subscriber.calls, ["receive"]);
});

Deno.test("consumeQueue() deletes each push it took before it receives again", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1"), message("m2")]);
  const handled: string[] = [];
  const running = consume(subscriber, stop, handled);
  await until(() => subscriber.calls.length >= 4);
  stop.abort();
  await running;
  assert.deepEqual(handled, ["repo1", "repo1"]);
  // Both taken and deleted before the next receive, which would return them again.
  assert.deepEqual(subscriber.calls, ["receive", "delete m1", "delete m2", "receive"]);
});

Deno.test("consumeQueue() leaves a push it cannot handle in the queue and backs off before receiving again", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1")]);
  const sleeps: number[] = [];
  const running = consume(subscriber, stop, [], { failHandling: true, sleeps });
  await until(() => subscriber.calls.length >= 3);
  stop.abort();
  await running;
  assert.deepEqual(subscriber.calls, ["receive", "receive"]);
  assert.equal(sleeps.length, 1);
});

Deno.test("consumeQueue() takes a push again after its delete failed, and backs off meanwhile", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1")]);
  subscriber.failDeletes = 1;
  const handled: string[] = [];
  const sleeps: number[] = [];
  let receives = 0;
  const counting = {
    receive: (signal: AbortSignal) => {
      if (++receives === 2) subscriber.again([message("m1")]);
      return subscriber.receive(signal);
    },
    delete: (m: QueueMessage) => subscriber.delete(m),
  };
  const running = consume(counting, stop, handled, { sleeps });
  await until(() => subscriber.deleted.length === 1);
  stop.abort();
  await running;
  assert.deepEqual(subscriber.calls.slice(0, 5), ["receive", "delete m1", "receive", "delete m1", "receive"]);
  assert.deepEqual(handled, ["repo1", "repo1"]);
  assert.equal(sleeps.length, 1);
});
