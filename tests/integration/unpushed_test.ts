/** Work another machine cannot get: branches never pushed, upstreams gone, counted against real repositories. */

import assert from "node:assert/strict";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, readRepoStatus } from "../../src/git/repo.ts";
import type { RepoStatus } from "../../src/state/repo_status.ts";
import { hasLocalWork } from "../../src/report/status_report.ts";

const REPO = "repo1";

async function statusOf(machine: Machine): Promise<RepoStatus> {
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) });
  const found = await locateRepository(runner, { name: REPO, path: machine.repoPath(REPO), autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  return await readRepoStatus(runner, found.location, { now: () => new Date(), lastFetch: null, sync: null });
}

Deno.test("readRepoStatus() lists a branch that was never pushed with its commits on no remote", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  await a.git(REPO, "switch", "--quiet", "-c", "idea");
  await a.commitFile(REPO, "idea.txt", "one\n", "idea one");
  await a.commitFile(REPO, "idea.txt", "two\n", "idea two");
  await a.git(REPO, "switch", "--quiet", "main");
  const status = await statusOf(a);
  assert.deepEqual(status.unpushedBranches, [{ name: "idea", upstream: null, ahead: 2 }]);
  assert.equal(hasLocalWork(status), true);
});

Deno.test("readRepoStatus() leaves out a branch without upstream whose commits are all on a remote", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  await a.git(REPO, "branch", "--no-track", "copy", "origin/main");
  const status = await statusOf(a);
  assert.deepEqual(status.unpushedBranches, []);
  assert.equal(status.unpushedCommits, 0);
  assert.equal(hasLocalWork(status), false);
});

Deno.test("readRepoStatus() lists a branch whose upstream is gone with the commits on no remote", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  await a.git(REPO, "switch", "--quiet", "-c", "topic");
  await a.commitFile(REPO, "topic.txt", "pushed\n", "pushed commit");
  await a.push(REPO, "-u", "origin", "topic");
  await a.commitFile(REPO, "topic.txt", "local\n", "local commit");
  await a.git(REPO, "switch", "--quiet", "main");
  await a.git(REPO, "push", "--quiet", "origin", "--delete", "topic");
  // The pushed commit is on no remote any more either: both count.
  const status = await statusOf(a);
  assert.deepEqual(status.unpushedBranches, [{
    name: "topic",
    upstream: "origin/topic",
    ahead: 2,
    gone: true,
  }]);
});

Deno.test("readRepoStatus() counts the checked-out branch's commits when it was never pushed", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  await a.git(REPO, "switch", "--quiet", "-c", "wip");
  await a.commitFile(REPO, "wip.txt", "wip\n", "wip");
  const status = await statusOf(a);
  assert.equal(status.state, "NO_UPSTREAM");
  assert.equal(status.unpushedCommits, 1);
  assert.deepEqual(status.unpushedBranches, []);
  assert.equal(hasLocalWork(status), true);
});

Deno.test("readRepoStatus() counts a detached HEAD's commits that no branch or remote holds", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  await a.git(REPO, "switch", "--quiet", "--detach");
  await a.commitFile(REPO, "loose.txt", "1\n", "loose one");
  await a.commitFile(REPO, "loose.txt", "2\n", "loose two");
  const status = await statusOf(a);
  assert.equal(status.state, "DETACHED");
  assert.equal(status.unpushedCommits, 2);
  assert.equal(hasLocalWork(status), true);
  await a.git(REPO, "branch", "keep");
  assert.equal((await statusOf(a)).unpushedCommits, 0);
});
