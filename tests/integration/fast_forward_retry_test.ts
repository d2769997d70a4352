/**
 * A fast-forward held back by something that goes away (index.lock, a local change, a rebase) happens within
 * seconds after it went, without a new push: the daemon watches the repository and tries again on refresh.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { localDaemon } from "../helpers/local_daemon.ts";
import { FsWatcher } from "../../src/daemon/watcher.ts";
import type { RepoStatus } from "../../src/state/repo_status.ts";

const REPO = "repo1";

/** a pushes a README change; b runs the daemon; `hold` sets up the blocker and returns its removal. */
async function assertRetriedWhenGone(
  hold: (b: Machine) => Promise<() => Promise<void>>,
  blocked: RegExp,
): Promise<void> {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: [REPO] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  const { daemon, store } = localDaemon(b, [REPO], { createWatcher: (events) => new FsWatcher(events) });
  const record = async () => (await store.listRepositories("b"))[0] as RepoStatus | undefined;
  const running = daemon.run();
  try {
    await waitFor("the first state in the store", async () => (await record())?.state === "UP_TO_DATE");
    const release = await hold(b);
    await a.commitFile(REPO, "README.md", "from a\n", "a edits the readme");
    await a.push(REPO);
    const before = await b.head(REPO);
    // A full update fetches and tries: the blocker holds the clone back and the store says why.
    await daemon.fullUpdate();
    const held = await waitFor("the blocked fast-forward in the store", async () => {
      const repo = await record();
      return repo?.sync?.result === "blocked" || repo?.sync?.result === "skipped" ? repo : undefined;
    });
    assert.match(held.sync?.reason ?? "", blocked);
    assert.equal(await b.head(REPO), before);
    // Let the refreshes the fetch caused pass: from here on, only the blocker's going can wake the daemon.
    await Deno.writeTextFile(join(b.repoPath(REPO), "settle.txt"), "x\n");
    await waitFor("the settle file in the store", async () => (await record())?.changes.untracked === 1);

    await release();
    const target = await ws.originHead(REPO);
    await waitFor(
      "the fast-forward once the blocker is gone",
      async () => (await b.head(REPO)) === target,
      10_000,
    );
    const moved = await waitFor("the new state in the store", async () => {
      const repo = await record();
      return repo?.head === target && repo.sync?.result === "fast-forwarded" ? repo : undefined;
    });
    assert.equal(moved.state, "UP_TO_DATE");
  } finally {
    daemon.stop();
    await running;
  }
}

Deno.test("a fast-forward blocked by index.lock happens once the lock is removed", async () => {
  await assertRetriedWhenGone(async (b) => {
    const lock = join(b.repoPath(REPO), ".git", "index.lock");
    await Deno.writeTextFile(lock, "");
    return () => Deno.remove(lock);
  }, /index\.lock exists/);
});

Deno.test("a fast-forward blocked by a local change happens once the change is discarded", async () => {
  await assertRetriedWhenGone(async (b) => {
    await Deno.writeTextFile(join(b.repoPath(REPO), "README.md"), "unsaved\n");
    return async () => void await b.git(REPO, "checkout", "--", "README.md");
  }, /local changes would be overwritten: README\.md \(modified\)/);
});

Deno.test("a fast-forward held back by a rebase happens once the rebase is aborted", async () => {
  await assertRetriedWhenGone(async (b) => {
    // A rebase stopped for editing: HEAD detached, rebase-merge in the git dir.
    await b.commitFile(REPO, "mine.txt", "1\n", "mine");
    await new Deno.Command("git", {
      args: ["rebase", "-q", "-i", "HEAD~1"],
      cwd: b.repoPath(REPO),
      env: { ...b.env, GIT_SEQUENCE_EDITOR: "sed -i 1s/^pick/edit/" },
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).output();
    return async () => {
      await b.git(REPO, "rebase", "--abort");
      await b.git(REPO, "reset", "-q", "--keep", "HEAD~1");
    };
  }, /rebase in progress/);
});
