/**
 * The checked-out branch moves only once the user's git has been still for a moment (src/sync/user_activity.ts):
 * commands such as `git stash pop` read the index before they take its lock, and a move between would make them
 * write an index built on the old tree. A burst of the user's commands holds the move back; the daemon's own
 * move does not hold back the next one.
 */

import assert from "node:assert/strict";
import { REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { USER_ACTIVE, USER_QUIET_MS } from "../../src/sync/user_activity.ts";
import { fastForwardIfSafe } from "../../src/sync/mod.ts";

/** Runs `act` while b's user stages and unstages a file every 100 ms, longer than a move waits. */
async function whileUserBusy<T>(fx: SyncFixture, act: () => Promise<T>): Promise<T> {
  let busy = true;
  const user = (async () => {
    for (let i = 0; busy; i++) {
      await Deno.writeTextFile(`${fx.path}/scratch-${i % 2}.txt`, `${i}\n`);
      await fx.b.git(REPO, "add", `scratch-${i % 2}.txt`).catch(() => {});
      await fx.b.git(REPO, "reset", "-q").catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return await act();
  } finally {
    busy = false;
    await user;
  }
}

Deno.test("a move waits while the user's git keeps writing the index, and goes once it is still", async () => {
  await using fx = await syncFixture({ quietMs: USER_QUIET_MS });
  const target = await fx.arrive();
  const during = await whileUserBusy(fx, () => fx.fastForward());
  assert.equal(during.result, "blocked", JSON.stringify(during));
  assert.equal(during.reason, USER_ACTIVE);
  assert.equal(during.retry, true);
  assert.notEqual(await fx.b.head(REPO), target);

  const after = await fx.fastForward();
  assert.equal(after.result, "fast-forwarded", JSON.stringify(after));
  assert.equal(await fx.b.head(REPO), target);
});

Deno.test("the daemon's own move does not count as the user's: the next arrival moves without a wait", async () => {
  await using fx = await syncFixture();
  const waits: number[] = [];
  const move = () =>
    fastForwardIfSafe(fx.runner, fx.location, {
      now: () => new Date(),
      sleep: (ms) => (waits.push(ms), new Promise((resolve) => setTimeout(resolve, ms))),
      quietMs: USER_QUIET_MS,
    });
  await fx.arrive("one.txt", "1\n");
  assert.equal((await move()).result, "fast-forwarded");
  const afterFirst = waits.length;
  await fx.arrive("two.txt", "2\n");
  assert.equal((await move()).result, "fast-forwarded");
  assert.equal(waits.length, afterFirst, "the second move waited for the daemon's own first one");
  // The user's own write right before does make it wait.
  await fx.arrive("three.txt", "3\n");
  await fx.b.git(REPO, "reset", "-q");
  await Deno.writeTextFile(`${fx.path}/mine.txt`, "mine\n");
  await fx.b.git(REPO, "add", "mine.txt");
  assert.equal((await move()).result, "fast-forwarded");
  assert.ok(waits.length > afterFirst, "the move did not wait for the user's git add");
});

Deno.test("a branch that is not checked out waits for the user's git to be still too", async () => {
  await using fx = await syncFixture({ quietMs: USER_QUIET_MS });
  await fx.a.git(REPO, "checkout", "-q", "-b", "other");
  await fx.a.push(REPO, "-q", "-u", "origin", "other");
  await fx.b.git(REPO, "fetch", "-q");
  await fx.b.git(REPO, "branch", "-q", "--track", "other", "origin/other");
  const moved = await fx.a.commitFile(REPO, "other.txt", "other\n", "other moves");
  await fx.a.push(REPO, "-q", "origin", "other");
  await fx.b.git(REPO, "fetch", "-q");
  // A checkout resolves the branch before it takes the lock: the busy user stands for one about to switch.
  const during = await whileUserBusy(fx, () => fx.fastForward());
  assert.match(during.reason ?? "", new RegExp(`other not moved: ${RegExp.escape(USER_ACTIVE)}`));
  assert.equal(during.retry, true);
  assert.notEqual(await fx.b.git(REPO, "rev-parse", "other"), moved);
  const after = await fx.fastForward();
  assert.equal(after.result, "fast-forwarded", JSON.stringify(after));
  assert.equal(await fx.b.git(REPO, "rev-parse", "other"), moved);
});
