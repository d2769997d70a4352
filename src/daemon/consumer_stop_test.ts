/** What the receive loop does with a message when the daemon stops: hand it back, or delete what was handled. */

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
  readonly released: string[] = [];
  #batch: QueueMessage[] | null;

  constructor(batch: QueueMessage[], private readonly onReceive: () => void = () => {}) {
    this.#batch = batch;
  }

  receive(signal: AbortSignal): Promise<QueueMessage[]> {
    const batch = this.#batch;
    this.#batch = null;
    if (batch) {
      this.onReceive();
      return Promise.resolve(batch);
    }
    return new Promise((resolve) => signal.addEventListener("abort", () => resolve([]), { once: true }));
  }
  delete(message: QueueMessage): Promise<void> {
    this.deleted.push(message.id);
    return Promise.resolve();
  }
  extend(): Promise<void> {
    return Promise.resolve();
  }
  release(message: QueueMessage): Promise<void> {
    this.released.push(message.id);
    return Promise.resolve();
  }
}

function message(id: string): QueueMessage {
  return { id, body: EVENT, receiptHandle: `handle-${id}`, sentAt: null };
}

function consume(subscriber: Subscriber, stop: AbortController, handled: string[]): Promise<void> {
  return consumeQueue({
    subscriber,
    log: logger("test"),
    hostname: "desktop",
    isConfigured: () => true,
    handle: (event) => {
      handled.push(event.repository);
      return Promise.resolve();
    },
    sleep: () => Promise.resolve(),
  }, stop.signal);
}

Deno.test("consumeQueue() hands back a push that arrives as the daemon stops, instead of deleting it", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1")], () => stop.abort());
  await consume(subscriber, stop, []);
  assert.deepEqual(subscriber.released, ["m1"]);
  assert.deepEqual(subscriber.deleted, []);
});

Deno.test("consumeQueue() deletes a push it took while running, and a later stop hands back nothing", async () => {
  const stop = new AbortController();
  const subscriber = new OneBatchSubscriber([message("m1")]);
  const handled: string[] = [];
  const running = consume(subscriber, stop, handled);
  for (let round = 0; round < 100 && subscriber.deleted.length === 0; round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  stop.abort();
  await running;
  assert.deepEqual(handled, ["repo1"]);
  assert.deepEqual(subscriber.deleted, ["m1"]);
  assert.deepEqual(subscriber.released, []);
});
