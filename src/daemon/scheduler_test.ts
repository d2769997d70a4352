import assert from "node:assert/strict";
import { RepoScheduler } from "./scheduler.ts";

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued callback and promise continuation run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Records the state of a promise without awaiting it. */
function watch(promise: Promise<void>): { state: "pending" | "resolved" | "rejected"; error?: unknown } {
  const seen: { state: "pending" | "resolved" | "rejected"; error?: unknown } = { state: "pending" };
  promise.then(() => seen.state = "resolved", (error) => {
    seen.state = "rejected";
    seen.error = error;
  });
  return seen;
}

/** A scheduler of string-list jobs whose runs each wait for the test to finish them. */
function harness() {
  const runs: Array<{ key: string; job: string[]; done: ReturnType<typeof deferred> }> = [];
  let active = 0;
  let maxActive = 0;
  const activeByKey = new Map<string, number>();
  let overlapped = false;
  const scheduler = new RepoScheduler<string[]>(async (key, job) => {
    const done = deferred();
    runs.push({ key, job, done });
    active++;
    maxActive = Math.max(maxActive, active);
    activeByKey.set(key, (activeByKey.get(key) ?? 0) + 1);
    if (activeByKey.get(key)! > 1) overlapped = true;
    try {
      await done.promise;
    } finally {
      active--;
      activeByKey.set(key, activeByKey.get(key)! - 1);
    }
  }, (older, newer) => [...older, ...newer]);
  return {
    scheduler,
    runs,
    get maxActive() {
      return maxActive;
    },
    get overlapped() {
      return overlapped;
    },
  };
}

Deno.test("RepoScheduler runs a job at once when the key is idle", async () => {
  const h = harness();
  const done = watch(h.scheduler.schedule("repo", ["a"]));
  assert.equal(h.runs.length, 1);
  assert.deepEqual(h.runs[0]!.job, ["a"]);
  await settle();
  assert.equal(done.state, "pending");
  h.runs[0]!.done.resolve();
  await settle();
  assert.equal(done.state, "resolved");
});

Deno.test("RepoScheduler merges jobs that arrive while one runs into one pending run", async () => {
  const h = harness();
  const first = h.scheduler.schedule("repo", ["1"]);
  const later = ["2", "3", "4", "5", "6"].map((j) => h.scheduler.schedule("repo", [j]));
  await settle();
  assert.equal(h.runs.length, 1);
  h.runs[0]!.done.resolve();
  await first;
  await settle();
  assert.equal(h.runs.length, 2);
  assert.deepEqual(h.runs[1]!.job, ["2", "3", "4", "5", "6"]);
  h.runs[1]!.done.resolve();
  await Promise.all(later);
  await h.scheduler.idle();
  assert.equal(h.runs.length, 2);
});

Deno.test("RepoScheduler never runs two jobs of one key at the same time", async () => {
  const h = harness();
  const all: Promise<void>[] = [];
  for (let i = 0; i < 10; i++) {
    all.push(h.scheduler.schedule("repo", [String(i)]));
    if (i % 3 === 0) {
      await settle();
      h.runs.at(-1)!.done.resolve();
    }
  }
  while (h.scheduler.busy("repo")) {
    for (const run of h.runs) run.done.resolve();
    await settle();
  }
  await Promise.all(all);
  assert.equal(h.overlapped, false);
  assert.equal(h.maxActive, 1);
  assert.deepEqual(h.runs.flatMap((r) => r.job), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
});

Deno.test("RepoScheduler resolves a merged job's waiter only after the run that includes it", async () => {
  const h = harness();
  const first = watch(h.scheduler.schedule("repo", ["1"]));
  const second = watch(h.scheduler.schedule("repo", ["2"]));
  h.runs[0]!.done.resolve();
  await settle();
  assert.equal(first.state, "resolved");
  assert.equal(second.state, "pending");
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(second.state, "resolved");
});

Deno.test("RepoScheduler runs different keys concurrently", async () => {
  const h = harness();
  const a = h.scheduler.schedule("repo-a", ["a"]);
  const b = h.scheduler.schedule("repo-b", ["b"]);
  assert.deepEqual(h.runs.map((r) => r.key), ["repo-a", "repo-b"]);
  assert.equal(h.maxActive, 2);
  for (const run of h.runs) run.done.resolve();
  await Promise.all([a, b]);
});

Deno.test("RepoScheduler keeps a slow key from delaying another", async () => {
  const h = harness();
  void h.scheduler.schedule("slow", ["s"]);
  const fast = watch(h.scheduler.schedule("fast", ["f"]));
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(fast.state, "resolved");
  h.runs[0]!.done.resolve();
  await h.scheduler.idle();
});

Deno.test("RepoScheduler rejects the waiters of a failing job and still runs the next one", async () => {
  const h = harness();
  const failing = watch(h.scheduler.schedule("repo", ["1"]));
  const merged = watch(h.scheduler.schedule("repo", ["2"]));
  const error = new Error("fetch failed");
  h.runs[0]!.done.reject(error);
  await settle();
  assert.equal(failing.state, "rejected");
  assert.equal(failing.error, error);
  assert.equal(h.runs.length, 2);
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(merged.state, "resolved");
});

Deno.test("RepoScheduler rejects every waiter merged into a failing run", async () => {
  const h = harness();
  void h.scheduler.schedule("repo", ["1"]).catch(() => {});
  const second = watch(h.scheduler.schedule("repo", ["2"]));
  const third = watch(h.scheduler.schedule("repo", ["3"]));
  h.runs[0]!.done.resolve();
  await settle();
  h.runs[1]!.done.reject(new Error("boom"));
  await settle();
  assert.equal(second.state, "rejected");
  assert.equal(third.state, "rejected");
});

Deno.test("RepoScheduler accepts work for a key after a failure", async () => {
  const h = harness();
  const failing = watch(h.scheduler.schedule("repo", ["1"]));
  h.runs[0]!.done.reject(new Error("boom"));
  await settle();
  assert.equal(failing.state, "rejected");
  const next = watch(h.scheduler.schedule("repo", ["2"]));
  assert.equal(h.runs.length, 2);
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(next.state, "resolved");
});

Deno.test("RepoScheduler treats a synchronous throw of the executor as a failed run", async () => {
  let calls = 0;
  const scheduler = new RepoScheduler<number>((_key, job) => {
    calls++;
    if (job === 1) throw new Error("sync");
    return Promise.resolve();
  }, (_older, newer) => newer);
  await assert.rejects(scheduler.schedule("repo", 1), /sync/);
  await scheduler.schedule("repo", 2);
  assert.equal(calls, 2);
});

Deno.test("RepoScheduler passes older and newer to merge in arrival order", async () => {
  const merges: Array<[string, string]> = [];
  const gate = deferred();
  const scheduler = new RepoScheduler<string>(() => gate.promise, (older, newer) => {
    merges.push([older, newer]);
    return newer;
  });
  const all = [scheduler.schedule("r", "a"), scheduler.schedule("r", "b"), scheduler.schedule("r", "c")];
  assert.deepEqual(merges, [["b", "c"]]);
  gate.resolve();
  await Promise.all(all);
});

Deno.test("RepoScheduler reports a key busy while a job runs or waits", async () => {
  const h = harness();
  assert.equal(h.scheduler.busy("repo"), false);
  const first = h.scheduler.schedule("repo", ["1"]);
  const second = h.scheduler.schedule("repo", ["2"]);
  assert.equal(h.scheduler.busy("repo"), true);
  assert.equal(h.scheduler.busy("other"), false);
  h.runs[0]!.done.resolve();
  await first;
  assert.equal(h.scheduler.busy("repo"), true);
  await settle();
  h.runs[1]!.done.resolve();
  await second;
  await h.scheduler.idle();
  assert.equal(h.scheduler.busy("repo"), false);
});

Deno.test("RepoScheduler.idle() resolves at once when nothing runs", async () => {
  const h = harness();
  await h.scheduler.idle();
  assert.equal(h.runs.length, 0);
});

Deno.test("RepoScheduler.idle() waits for the pending run after the current one", async () => {
  const h = harness();
  void h.scheduler.schedule("repo", ["1"]);
  void h.scheduler.schedule("repo", ["2"]);
  const idle = watch(h.scheduler.idle());
  h.runs[0]!.done.resolve();
  await settle();
  assert.equal(idle.state, "pending");
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(idle.state, "resolved");
});

Deno.test("RepoScheduler.idle() waits for jobs scheduled while it waits", async () => {
  const h = harness();
  void h.scheduler.schedule("repo-a", ["a"]);
  const idle = watch(h.scheduler.idle());
  await settle();
  void h.scheduler.schedule("repo-b", ["b"]);
  h.runs[0]!.done.resolve();
  await settle();
  assert.equal(idle.state, "pending");
  h.runs[1]!.done.resolve();
  await settle();
  assert.equal(idle.state, "resolved");
});

Deno.test("RepoScheduler.idle() is not rejected by a failing job", async () => {
  const h = harness();
  void h.scheduler.schedule("repo", ["1"]).catch(() => {});
  const idle = h.scheduler.idle();
  h.runs[0]!.done.reject(new Error("boom"));
  await idle;
});

Deno.test({
  name: "RepoScheduler runs a job scheduled right after the previous one for the key finished",
  fn: async () => {
    const calls: number[] = [];
    const scheduler = new RepoScheduler<number>((_key, job) => {
      calls.push(job);
      return Promise.resolve();
    }, (_older, newer) => newer);
    await scheduler.schedule("repo", 1);
    const second = watch(scheduler.schedule("repo", 2));
    await settle();
    assert.deepEqual(calls, [1, 2]);
    assert.equal(second.state, "resolved");
    assert.equal(scheduler.busy("repo"), false);
  },
});
