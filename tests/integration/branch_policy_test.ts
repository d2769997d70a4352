/**
 * The autoPull policy against real repositories: b has main checked out and four other branches, all of them
 * behind their upstreams; each policy form moves exactly the branches it names and leaves the rest where
 * they were, saying so in the sync result.
 */

import assert from "node:assert/strict";
import { REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { fastForwardIfSafe } from "../../src/sync/mod.ts";
import type { AutoPull } from "../../src/sync/branch_policy.ts";
import type { SyncResult } from "../../src/state/repo_status.ts";

const OTHERS = ["topic", "release/1.2", "release/1/2", "hotfix"];
const ALL = ["main", ...OTHERS];

const sorted = (names: readonly string[] | undefined) => [...names ?? []].sort();

interface Behind {
  /** Each branch's sha on b before the policy ran, and its upstream's. */
  before: Map<string, string>;
  upstream: Map<string, string>;
}

/** Every branch of b tracks origin's and is one commit behind it. */
async function everyBranchBehind(fx: SyncFixture): Promise<Behind> {
  for (const branch of OTHERS) await fx.a.git(REPO, "branch", branch);
  await fx.a.push(REPO, "origin", ...OTHERS);
  await fx.b.git(REPO, "fetch", "--quiet");
  for (const branch of OTHERS) {
    await fx.b.git(REPO, "branch", "--quiet", "--track", branch, `origin/${branch}`);
  }
  const upstream = new Map<string, string>();
  for (const branch of ALL) {
    await fx.a.git(REPO, "checkout", "--quiet", branch);
    upstream.set(branch, await fx.a.commitFile(REPO, `${branch}.txt`, `${branch}\n`, `on ${branch}`));
  }
  await fx.a.git(REPO, "checkout", "--quiet", "main");
  await fx.a.push(REPO, "origin", ...ALL);
  await fx.b.git(REPO, "fetch", "--quiet");
  const before = new Map<string, string>();
  for (const branch of ALL) before.set(branch, await fx.b.git(REPO, "rev-parse", `refs/heads/${branch}`));
  return { before, upstream };
}

/** Runs the door with `policy`; returns the result and the branches that moved to their upstream. */
async function applyPolicy(policy: AutoPull): Promise<{ sync: SyncResult; moved: string[] }> {
  await using fx = await syncFixture();
  const behind = await everyBranchBehind(fx);
  const sync = await fastForwardIfSafe(fx.runner, fx.location, {
    now: () => new Date(),
    sleep: () => Promise.resolve(),
    // The state was staged with git just before: no user is at work in it (src/sync/user_activity.ts).
    quietMs: 0,
    autoPull: policy,
  });
  const moved: string[] = [];
  for (const branch of ALL) {
    const now = await fx.b.git(REPO, "rev-parse", `refs/heads/${branch}`);
    if (now === behind.upstream.get(branch)) moved.push(branch);
    else assert.equal(now, behind.before.get(branch), `${branch} moved somewhere other than its upstream`);
  }
  assert.equal(await fx.b.git(REPO, "symbolic-ref", "--short", "HEAD"), "main");
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "", "the worktree follows HEAD");
  return { sync, moved };
}

Deno.test("autoPull true moves the checked-out branch and every other branch behind", async () => {
  const { sync, moved } = await applyPolicy(true);
  assert.deepEqual(moved, ALL);
  assert.equal(sync.result, "fast-forwarded");
  assert.equal(sync.policyHeld, undefined);
  assert.doesNotMatch(sync.reason ?? "", /policy/);
});

Deno.test("autoPull false moves no branch and names the policy", async () => {
  const { sync, moved } = await applyPolicy(false);
  assert.deepEqual(moved, []);
  assert.equal(sync.result, "skipped");
  assert.deepEqual(sorted(sync.policyHeld), sorted(OTHERS));
  assert.match(sync.reason ?? "", /^policy: autoPull is false \(not moved: [^;]*\)$/);
  assert.equal(sync.retry, undefined, "a policy is no cause to try again");
});

Deno.test("autoPull current moves only the checked-out branch", async () => {
  const { sync, moved } = await applyPolicy("current");
  assert.deepEqual(moved, ["main"]);
  assert.equal(sync.result, "fast-forwarded");
  assert.deepEqual(sorted(sync.policyHeld), sorted(OTHERS));
  assert.match(
    sync.reason ?? "",
    /^main [0-9a-f]{7}\.\.[0-9a-f]{7}; policy: autoPull is current \(not moved: /,
  );
});

Deno.test("autoPull others moves every branch but the checked-out one, which is skipped by policy", async () => {
  const { sync, moved } = await applyPolicy("others");
  assert.deepEqual(moved, OTHERS);
  assert.equal(sync.result, "skipped", "the checked-out branch that needed to move leads the result");
  assert.equal(sync.policyHeld, undefined);
  assert.match(sync.reason ?? "", /^policy: autoPull is others; hotfix [0-9a-f]{7}\.\./);
  assert.equal(sync.retry, undefined);
});

Deno.test('autoPull [main, "release/*"] moves main and release/1.2, not release/1/2 or topic', async () => {
  const { sync, moved } = await applyPolicy(["main", "release/*"]);
  assert.deepEqual(moved, ["main", "release/1.2"]);
  assert.equal(sync.result, "fast-forwarded");
  assert.deepEqual(sorted(sync.policyHeld), ["hotfix", "release/1/2", "topic"]);
  assert.match(sync.reason ?? "", /policy: autoPull is \[main, release\/\*\] \(not moved: /);
});

Deno.test("a glob that leaves out the checked-out branch holds it by policy while named branches move", async () => {
  const { sync, moved } = await applyPolicy(["release/**", "hotfix"]);
  assert.deepEqual(moved, ["release/1.2", "release/1/2", "hotfix"]);
  assert.equal(sync.result, "skipped");
  assert.deepEqual(sync.policyHeld, ["topic"]);
  assert.match(sync.reason ?? "", /^policy: autoPull is \[release\/\*\*, hotfix\] \(not moved: topic\); /);
});
