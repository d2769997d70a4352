import assert from "node:assert/strict";
import { EventHooks, type HookEvent } from "./mod.ts";
import type { ProgramRun } from "../util/program.ts";
import { logger } from "../log/logger.ts";

const push = (n: number): HookEvent => ({
  v: 1,
  type: "push",
  host: "desktop",
  at: `2026-12-02T10:00:0${n}.000Z`,
  repository: `r${n}`,
  source: "laptop",
  remote: "origin",
  refs: [],
});

Deno.test("EventHooks runs matching hooks in order with the event as JSON on stdin, without making emit wait", async () => {
  const runs: ProgramRun[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const hooks = new EventHooks({
    hooks: [{ command: "record", events: ["push"], timeoutSeconds: 3 }, {
      command: "other",
      events: ["attention"],
      timeoutSeconds: 1,
    }],
    log: logger("test"),
    env: () => undefined,
    run: async (run) => {
      runs.push(run);
      await gate;
      return { code: 0, stdout: "", stderr: "", ms: 1 };
    },
  });
  hooks.emit(push(1));
  hooks.emit(push(2));
  assert.equal(runs.length, 1, "the first runs, the second waits its turn");
  release();
  await hooks.close();
  assert.deepEqual(runs.map((r) => JSON.parse(r.stdin!).repository), ["r1", "r2"]);
  assert.deepEqual(runs[0]!.args, ["-c", "record"]);
  assert.equal(runs[0]!.timeoutMs, 3000);
  assert.equal(runs[0]!.env.GITARGUS_EVENT_TYPE, "push");
});

Deno.test("EventHooks keeps a bounded queue, dropping the oldest events when a hook falls behind", async () => {
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const hooks = new EventHooks({
    hooks: [{ command: "slow", events: ["push"], timeoutSeconds: 1 }],
    log: logger("test"),
    env: () => undefined,
    capacity: 2,
    run: async (run) => {
      seen.push(JSON.parse(run.stdin!).repository);
      await gate;
      return { code: 0, stdout: "", stderr: "", ms: 1 };
    },
  });
  for (const n of [1, 2, 3, 4, 5]) hooks.emit(push(n));
  release();
  await hooks.close();
  assert.deepEqual(seen, ["r1", "r4", "r5"]);
});

Deno.test("EventHooks kills a real hanging hook at its timeout and goes on with the next event", async () => {
  const hooks = new EventHooks({
    hooks: [{ command: "read event; sleep 30 & wait", events: ["push"], timeoutSeconds: 1 }],
    log: logger("test"),
  });
  const started = performance.now();
  hooks.emit(push(1));
  hooks.emit(push(2));
  await hooks.close(10_000);
  const ms = performance.now() - started;
  assert.ok(ms >= 2000 && ms < 6000, `two hooks killed at 1 s each took ${Math.round(ms)} ms`);
});
