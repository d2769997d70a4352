import assert from "node:assert/strict";
import { Backoff } from "./backoff.ts";

Deno.test("Backoff starts at half a second, doubles, and never waits more than 5 s", () => {
  const highest = new Backoff(500, 5000, () => 1);
  assert.deepEqual(Array.from({ length: 8 }, () => highest.next()), [
    500,
    1000,
    2000,
    4000,
    5000,
    5000,
    5000,
    5000,
  ]);
});

Deno.test("Backoff jitters each delay between half and all of it", () => {
  const lowest = new Backoff(500, 5000, () => 0);
  assert.deepEqual(Array.from({ length: 6 }, () => lowest.next()), [250, 500, 1000, 2000, 2500, 2500]);
});

Deno.test("Backoff starts over after reset()", () => {
  const backoff = new Backoff(500, 5000, () => 1);
  for (let i = 0; i < 50; i++) backoff.next();
  assert.equal(backoff.next(), 5000);
  backoff.reset();
  assert.equal(backoff.next(), 500);
});
