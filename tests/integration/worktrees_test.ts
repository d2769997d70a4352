/** Every worktree counts: a branch another worktree has checked out or is working on never moves. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { locateRepository } from "../../src/git/repo.ts";
import { fastForwardIfSafe } from "../../src/sync/mod.ts";

/** `feature` on b tracks origin/feature and is one commit behind it; b's main worktree stays on main. */
async function featureBehind(fx: SyncFixture): Promise<{ local: string; upstream: string }> {
  await fx.a.git(REPO, "checkout", "-q", "-b", "feature");
  await fx.a.commitFile(REPO, "f.txt", "1\n", "feature 1");
  await fx.a.push(REPO, "-u", "origin", "feature");
  await fx.b.git(REPO, "fetch", "--quiet");
  await fx.b.git(REPO, "branch", "-q", "--track", "feature", "origin/feature");
  const local = await fx.b.git(REPO, "rev-parse", "feature");
  const upstream = await fx.a.commitFile(REPO, "f.txt", "2\n", "feature 2");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "--quiet");
  return { local, upstream };
}

/** Runs git in a linked worktree of b with an editor that stops a rebase at its first commit. */
function inWorktree(fx: SyncFixture, dir: string, ...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("git", {
    args,
    cwd: dir,
    env: { ...fx.b.env, GIT_SEQUENCE_EDITOR: "sed -i 1s/^pick/edit/", GIT_EDITOR: "true" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

async function addWorktree(fx: SyncFixture, name: string, ...args: string[]): Promise<string> {
  const dir = join(fx.b.workspace, name);
  await fx.b.git(REPO, "worktree", "add", "-q", dir, ...args);
  return dir;
}

async function assertFeatureHeld(fx: SyncFixture, local: string, reason: RegExp): Promise<void> {
  const result = await fx.fastForward();
  assert.match(result.reason ?? "", reason);
  assert.equal(result.retry, true);
  assert.equal(await fx.b.git(REPO, "rev-parse", "refs/heads/feature"), local);
}

Deno.test("a branch checked out in a linked worktree is not moved, and the note says where", async () => {
  await using fx = await syncFixture();
  const { local } = await featureBehind(fx);
  await addWorktree(fx, "wt-feature", "feature");
  await assertFeatureHeld(fx, local, /feature is checked out in worktree \.\.\/wt-feature/);
});

Deno.test("the checked-out branch is not moved while another worktree has it checked out too", async () => {
  await using fx = await syncFixture();
  const before = await fx.b.head(REPO);
  await fx.arrive();
  await addWorktree(fx, "wt-main", "-f", "main");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked");
  assert.equal(result.reason, "main is checked out in worktree ../wt-main");
  assert.equal(await fx.b.head(REPO), before);
});

Deno.test("a branch being rebased interactively in a linked worktree is not moved", async () => {
  await using fx = await syncFixture();
  const { local } = await featureBehind(fx);
  const wt = await addWorktree(fx, "wt", "feature");
  const rebase = await inWorktree(fx, wt, "rebase", "-q", "-i", "HEAD~1");
  assert.equal(rebase.code, 0, new TextDecoder().decode(rebase.stderr));
  assert.ok(
    await inWorktree(fx, wt, "symbolic-ref", "-q", "HEAD").then((r) => r.code !== 0),
    "HEAD detached",
  );
  await assertFeatureHeld(fx, local, /feature is being rebased in worktree \.\.\/wt/);
});

/** A branch `side` from main that adds its own f.txt: replaying it onto feature conflicts. */
async function conflictingSide(fx: SyncFixture): Promise<string> {
  await fx.b.git(REPO, "branch", "-q", "side", "main");
  const wt = await addWorktree(fx, "wt", "side");
  await Deno.writeTextFile(join(wt, "f.txt"), "side\n");
  await inWorktree(fx, wt, "add", "f.txt");
  await inWorktree(fx, wt, "commit", "-qm", "side adds f");
  await inWorktree(fx, wt, "switch", "-q", "feature");
  return wt;
}

Deno.test("a branch whose apply-style rebase stopped at a conflict in a linked worktree is not moved", async () => {
  await using fx = await syncFixture();
  const { local } = await featureBehind(fx);
  const wt = await conflictingSide(fx);
  const rebase = await inWorktree(fx, wt, "rebase", "--apply", "side");
  assert.notEqual(rebase.code, 0, "the rebase stops at the conflict");
  await assertFeatureHeld(fx, local, /feature is being rebased in worktree \.\.\/wt/);
});

for (
  const [operation, args, reason] of [
    ["bisect", ["bisect", "start"], /feature is being bisected in worktree \.\.\/wt/],
    ["merge", ["merge", "--no-commit", "--no-ff", "side"], /a merge into feature is in progress in worktree/],
    ["cherry-pick", ["cherry-pick", "side"], /a cherry-pick onto feature is in progress in worktree/],
    ["revert", ["revert", "--no-edit", "side"], /a revert on feature is in progress in worktree/],
    ["git am", ["am", "side.patch"], /patches are being applied to feature \(git am\) in worktree/],
  ] as const
) {
  Deno.test(`a branch with a ${operation} in progress in a linked worktree is not moved`, async () => {
    await using fx = await syncFixture();
    const { local } = await featureBehind(fx);
    const wt = await conflictingSide(fx);
    const patch = await fx.b.git(REPO, "format-patch", "-1", "--stdout", "side");
    await Deno.writeTextFile(join(wt, "side.patch"), `${patch}\n`);
    await inWorktree(fx, wt, ...args);
    if (operation === "bisect") await inWorktree(fx, wt, "switch", "-q", "--detach", "HEAD~1");
    await assertFeatureHeld(fx, local, reason);
  });
}

Deno.test("a worktree whose directory is gone holds its branch without failing, until it is pruned", async () => {
  await using fx = await syncFixture();
  const { local, upstream } = await featureBehind(fx);
  const wt = await addWorktree(fx, "wt-gone", "feature");
  await Deno.remove(wt, { recursive: true });
  await assertFeatureHeld(
    fx,
    local,
    /feature is checked out in worktree \.\.\/wt-gone \(its directory is missing/,
  );
  await fx.b.git(REPO, "worktree", "prune");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.git(REPO, "rev-parse", "refs/heads/feature"), upstream);
});

Deno.test("a linked worktree set up as the repository moves its own branch and leaves the main worktree's", async () => {
  await using fx = await syncFixture();
  const { upstream } = await featureBehind(fx);
  const main = await fx.b.head(REPO);
  await fx.a.git(REPO, "checkout", "-q", "main");
  await fx.arrive("other.txt", "new\n");
  const wt = await addWorktree(fx, "wt", "feature");
  const found = await locateRepository(fx.runner, { name: "wt", path: wt, autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  const result = await fastForwardIfSafe(fx.runner, found.location, {
    now: () => new Date(),
    sleep: () => Promise.resolve(),
    // The state was staged with git just before: no user is at work in it (src/sync/user_activity.ts).
    quietMs: 0,
  });
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.match(
    result.reason ?? "",
    /^feature [0-9a-f]{7}\.\.[0-9a-f]{7}; main is checked out in worktree \.\.\/repo1$/,
  );
  assert.equal(await fx.b.git(REPO, "rev-parse", "refs/heads/feature"), upstream);
  assert.equal(await Deno.readTextFile(join(wt, "f.txt")), "2\n");
  assert.equal(await fx.b.git(REPO, "rev-parse", "refs/heads/main"), main);
});
