/** Work waiting in a linked worktree is work at risk too: status lists it next to the main worktree's. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, readRepoStatus } from "../../src/git/repo.ts";
import type { RepoStatus } from "../../src/state/repo_status.ts";
import { hasLocalWork, rows } from "../../src/report/status_report.ts";
import { runCli } from "../helpers/cli.ts";

const REPO = "repo1";

async function statusOf(machine: Machine, path = machine.repoPath(REPO)): Promise<RepoStatus> {
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) });
  const found = await locateRepository(runner, { name: REPO, path, autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  return await readRepoStatus(runner, found.location, { now: () => new Date(), lastFetch: null, sync: null });
}

async function withWorktree() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: [REPO] });
  const a = ws.machine("a");
  const worktree = join(a.workspace, "repo1-feature");
  await a.git(REPO, "worktree", "add", "--quiet", "-b", "feature", worktree);
  return { ws, a, worktree, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

Deno.test("readRepoStatus() lists nothing for linked worktrees without work", async () => {
  await using fx = await withWorktree();
  const status = await statusOf(fx.a);
  assert.equal(status.worktrees, undefined);
  assert.equal(hasLocalWork(status), false);
});

Deno.test("readRepoStatus() lists a linked worktree's uncommitted changes as work at risk", async () => {
  await using fx = await withWorktree();
  await Deno.writeTextFile(join(fx.worktree, "draft.txt"), "unsaved idea\n");
  await Deno.writeTextFile(join(fx.worktree, "README.md"), "edited\n");
  const status = await statusOf(fx.a);
  assert.equal(status.clean, true, "the main worktree itself is clean");
  assert.deepEqual(status.worktrees, [{
    path: "../repo1-feature",
    branch: "feature",
    head: await fx.a.head(REPO),
    clean: false,
    changes: { staged: 0, unstaged: 1, untracked: 1, conflicted: 0 },
    operation: null,
  }]);
  assert.equal(hasLocalWork(status), true);
  const [row] = rows({
    generatedAt: "",
    hosts: [{
      hostname: "a",
      heartbeatAt: null,
      online: true,
      stoppedAt: null,
      version: null,
      repositories: [status],
    }],
  }, "a");
  assert.ok(row!.notes.includes("worktree ../repo1-feature (feature): 1~ 1?"), row!.notes.join("; "));
});

Deno.test("readRepoStatus() lists a rebase stopped in a linked worktree", async () => {
  await using fx = await withWorktree();
  const wt = (...args: string[]) =>
    new Deno.Command("git", { args, cwd: fx.worktree, env: fx.a.env, stdout: "null", stderr: "null" })
      .output();
  await Deno.writeTextFile(join(fx.worktree, "README.md"), "feature side\n");
  await wt("commit", "--quiet", "-am", "feature edit");
  await fx.a.commitFile(REPO, "README.md", "main side\n", "main edit");
  await wt("rebase", "main");
  const status = await statusOf(fx.a);
  assert.equal(status.worktrees?.[0]?.operation, "rebase");
  assert.equal(hasLocalWork(status), true);
});

Deno.test("readRepoStatus() of a linked worktree lists the main worktree's work", async () => {
  await using fx = await withWorktree();
  await Deno.writeTextFile(join(fx.a.repoPath(REPO), "main-draft.txt"), "x\n");
  const status = await statusOf(fx.a, fx.worktree);
  assert.equal(status.worktrees?.[0]?.path, "../repo1");
  assert.equal(status.worktrees?.[0]?.clean, false);
});

Deno.test("status --local notes a linked worktree's work and counts it as uncommitted", async () => {
  await using fx = await withWorktree();
  await fx.a.writeConfig();
  await Deno.writeTextFile(join(fx.worktree, "draft.txt"), "unsaved idea\n");
  const result = await runCli(["status", "--local"], { env: { ...fx.a.env, NO_COLOR: "1" } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /worktree \.\.\/repo1-feature \(feature\): 1\?/);
  assert.match(
    result.stdout,
    /^a: 1 repository, 1 needs attention, 0 unpushed commits, 0 stashes, 1 uncommitted$/m,
  );
});
