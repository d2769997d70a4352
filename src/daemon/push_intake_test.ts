import assert from "node:assert/strict";
import { logger } from "../log/logger.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { RepoMonitor } from "./monitor.ts";
import type { GitRunner } from "../git/runner.ts";
import { PushIntake } from "./push_intake.ts";
import type { SyncJob } from "./sync_job.ts";

const SHA = "a".repeat(40);

function intake() {
  const scheduled: Array<{ name: string; job: SyncJob }> = [];
  const arrived: PushEvent[] = [];
  const runner: GitRunner = { run: () => Promise.reject(new Error("no git in this test")) };
  const pushes = new PushIntake({
    runner,
    log: logger("test"),
    hostname: "desktop",
    monitor: { locate: () => Promise.resolve(null) } as unknown as RepoMonitor,
    schedule: (name, job) => (scheduled.push({ name, job }), Promise.resolve()),
    pushArrived: (event) => arrived.push(event),
    sleep: () => Promise.resolve(),
    stop: new AbortController().signal,
    waitMs: 1000,
  });
  return { pushes, scheduled, arrived };
}

function event(...refs: string[]): PushEvent {
  return {
    v: 1,
    type: "push",
    source: "laptop",
    repository: "api",
    remote: "origin",
    refs: refs.map((ref) => ({ ref, sha: SHA })),
    at: new Date().toISOString(),
  };
}

Deno.test("PushIntake takes a branch push into the repository's work", async () => {
  const { pushes, scheduled, arrived } = intake();
  await pushes.onPush(event("refs/heads/main"));
  assert.deepEqual(scheduled.map((s) => s.job.refs.map((r) => r.ref)), [["refs/heads/main"]]);
  assert.equal(arrived.length, 1);
});

Deno.test("PushIntake keeps a saved snapshot away from the branches: nothing fetched, nothing superseded", async () => {
  const { pushes, scheduled, arrived } = intake();
  await pushes.onPush(event("refs/gitargus/wip/laptop/main"));
  assert.deepEqual(scheduled, []);
  assert.deepEqual(arrived, []);
});

Deno.test("PushIntake splits an event naming both: only the branch is waited for", async () => {
  const { pushes, scheduled, arrived } = intake();
  await pushes.onPush(event("refs/gitargus/wip/laptop/main", "refs/heads/topic"));
  assert.deepEqual(scheduled.map((s) => s.job.refs.map((r) => r.ref)), [["refs/heads/topic"]]);
  assert.deepEqual(arrived[0]?.refs.map((r) => r.ref), ["refs/heads/topic"]);
});
