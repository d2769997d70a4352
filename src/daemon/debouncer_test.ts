import assert from "node:assert/strict";
import { Debouncer } from "./debouncer.ts";

const QUIET_MS = 30;
const MAX_WAIT_MS = 100;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails after `deadlineMs`. */
async function waitFor(condition: () => boolean, deadlineMs = 1000): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`condition not met within ${deadlineMs} ms`);
    await delay(5);
  }
}

function recorder(quietMs = QUIET_MS, maxWaitMs = MAX_WAIT_MS, now?: () => number) {
  const fired: string[] = [];
  const debouncer = new Debouncer((key) => fired.push(key), quietMs, maxWaitMs, now);
  const count = (key: string) => fired.filter((k) => k === key).length;
  return { fired, debouncer, count };
}

Deno.test("Debouncer fires once for a burst of triggers", async () => {
  const { debouncer, fired } = recorder();
  for (let i = 0; i < 10; i++) debouncer.trigger("repo");
  await waitFor(() => fired.length > 0);
  await delay(QUIET_MS * 2);
  assert.deepEqual(fired, ["repo"]);
  debouncer.close();
});

Deno.test("Debouncer does not fire before the key has been quiet", async () => {
  const { debouncer, fired } = recorder(200, 1000);
  debouncer.trigger("repo");
  await delay(20);
  assert.deepEqual(fired, []);
  debouncer.close();
});

Deno.test("Debouncer fires by maxWait during a burst longer than maxWait", async () => {
  const { debouncer, fired } = recorder();
  const end = performance.now() + MAX_WAIT_MS * 2.5;
  while (performance.now() < end) {
    debouncer.trigger("repo");
    await delay(5);
  }
  const duringBurst = fired.length;
  debouncer.close();
  assert.ok(duringBurst >= 1, "a burst 2.5 times maxWait long fires at least once while it lasts");
});

Deno.test("Debouncer fires separately for separate keys", async () => {
  const { debouncer, fired, count } = recorder();
  debouncer.trigger("a");
  debouncer.trigger("b");
  debouncer.trigger("a");
  await waitFor(() => fired.length >= 2);
  await delay(QUIET_MS * 2);
  assert.equal(count("a"), 1);
  assert.equal(count("b"), 1);
  debouncer.close();
});

Deno.test("Debouncer starts a new burst after firing", async () => {
  const { debouncer, count } = recorder();
  debouncer.trigger("repo");
  await waitFor(() => count("repo") === 1);
  debouncer.trigger("repo");
  await waitFor(() => count("repo") === 2);
  await delay(QUIET_MS * 2);
  assert.equal(count("repo"), 2);
  debouncer.close();
});

Deno.test("Debouncer.close() cancels pending triggers", async () => {
  const { debouncer, fired } = recorder();
  debouncer.trigger("a");
  debouncer.trigger("b");
  debouncer.close();
  await delay(QUIET_MS * 3);
  assert.deepEqual(fired, []);
});

Deno.test("Debouncer.close() leaves the debouncer usable", async () => {
  const { debouncer, fired } = recorder();
  debouncer.trigger("a");
  debouncer.close();
  debouncer.trigger("b");
  await waitFor(() => fired.length > 0);
  assert.deepEqual(fired, ["b"]);
  debouncer.close();
});

Deno.test("Debouncer shortens the wait to what is left of maxWait", async () => {
  let now = 0;
  const { debouncer, fired } = recorder(5000, 10_000, () => now);
  debouncer.trigger("repo");
  now = 9990;
  debouncer.trigger("repo");
  await waitFor(() => fired.length > 0, 1000);
  assert.deepEqual(fired, ["repo"]);
  debouncer.close();
});

Deno.test("Debouncer fires at once when maxWait has already passed", async () => {
  let now = 0;
  const { debouncer, fired } = recorder(5000, 10_000, () => now);
  debouncer.trigger("repo");
  now = 60_000;
  debouncer.trigger("repo");
  await waitFor(() => fired.length > 0, 1000);
  assert.deepEqual(fired, ["repo"]);
  debouncer.close();
});

Deno.test("Debouncer measures maxWait from the first trigger of a burst", async () => {
  let now = 0;
  const { debouncer, fired } = recorder(5000, 10_000, () => now);
  debouncer.trigger("repo");
  now = 4000;
  debouncer.trigger("repo");
  now = 8000;
  debouncer.trigger("repo");
  now = 9995;
  debouncer.trigger("repo");
  await waitFor(() => fired.length > 0, 1000);
  assert.deepEqual(fired, ["repo"]);
  debouncer.close();
});

Deno.test("Debouncer keeps the quiet period while maxWait is far", async () => {
  let now = 0;
  const { debouncer, fired } = recorder(5000, 10_000, () => now);
  debouncer.trigger("repo");
  now = 100;
  debouncer.trigger("repo");
  await delay(30);
  assert.deepEqual(fired, []);
  debouncer.close();
});
