import assert from "node:assert/strict";
import { Coalescer } from "./coalescer.ts";

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => open = resolve);
  return { opened, open };
}

Deno.test("Coalescer runs once more after a run, however many requests came during it", async () => {
  let runs = 0;
  let first = gate();
  const coalescer = new Coalescer(async () => {
    runs++;
    await first.opened;
  });
  const a = coalescer.run();
  const b = coalescer.run();
  const c = coalescer.run();
  first.open();
  await Promise.all([a, b, c]);
  assert.equal(runs, 2);
  first = gate();
  first.open();
  await coalescer.run();
  assert.equal(runs, 3);
});

Deno.test("Coalescer stops a series of runs when told not to keep going", async () => {
  let runs = 0;
  const running = gate();
  const coalescer = new Coalescer(async () => {
    runs++;
    await running.opened;
  }, () => false);
  const first = coalescer.run();
  void coalescer.run();
  running.open();
  await first;
  assert.equal(runs, 1);
});

Deno.test("Coalescer.idle() settles after the run in flight, even a failed one", async () => {
  const running = gate();
  const coalescer = new Coalescer(async () => {
    await running.opened;
    throw new Error("failed");
  });
  const run = coalescer.run();
  let idle = false;
  const waiting = coalescer.idle().then(() => idle = true);
  await Promise.resolve();
  assert.equal(idle, false);
  running.open();
  await assert.rejects(run, /failed/);
  await waiting;
  assert.equal(idle, true);
});
