/**
 * git runs only in a configured repository: a folder that is missing, not a repository, or no longer the one
 * that was located is reported as MISSING, and git never finds the repository of a parent folder instead.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { RepoMonitor } from "../../src/daemon/monitor.ts";
import { systemClock } from "../../src/util/clock.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";
import { pathExists } from "../../src/util/fs.ts";

/**
 * Machine "a" whose workspace folder is itself a repository with a commit: the enclosing repository that a
 * folder without its own `.git` would otherwise be taken for.
 */
async function nestedWorkspace() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  await git(a, a.workspace, "init", "-q");
  await Deno.writeTextFile(join(a.workspace, "parent.txt"), "parent\n");
  await git(a, a.workspace, "add", "parent.txt");
  await git(a, a.workspace, "commit", "-qm", "parent");
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => a.env[name]) });
  return { ws, a, runner, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

function monitorFor(runner: DenoGitRunner, paths: Record<string, string>) {
  const store = new MemoryStore();
  const repositories = Object.entries(paths).map(([name, path]) => ({ name, path, autoPull: true }));
  const monitor = new RepoMonitor({
    runner,
    store,
    hostname: "a",
    clock: systemClock,
    log: logger("test"),
    fetchTimeoutMs: 10_000,
  }, repositories);
  return { monitor, store };
}

async function git(machine: Machine, cwd: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("git", { args, cwd, env: machine.env, clearEnv: true }).output();
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  return text;
}

/** The parent repository is untouched: no fetch wrote FETCH_HEAD there, its HEAD did not move. */
async function assertParentUntouched(a: Machine, head: string) {
  assert.equal(await pathExists(join(a.workspace, ".git", "FETCH_HEAD")), false, "the parent was fetched");
  assert.equal(await git(a, a.workspace, "rev-parse", "HEAD"), head);
}

Deno.test("the runner never finds the repository of a parent folder", async () => {
  await using env = await nestedWorkspace();
  const plain = join(env.a.workspace, "plain");
  await Deno.mkdir(plain);
  const result = await env.runner.run(["rev-parse", "--show-toplevel"], { cwd: plain, allowFailure: true });
  assert.notEqual(result.code, 0, `git found ${result.stdout.trim()}`);
  assert.match(result.stderr, /not a git repository/);
});

Deno.test("the runner's discovery stops at a symlinked folder's real parent, not the link's", async () => {
  await using env = await nestedWorkspace();
  const plain = join(env.a.workspace, "plain");
  await Deno.mkdir(plain);
  const outside = await Deno.makeTempDir({ prefix: "gitargus-link-" });
  try {
    const link = join(outside, "link");
    await Deno.symlink(plain, link);
    const result = await env.runner.run(["rev-parse", "--show-toplevel"], { cwd: link, allowFailure: true });
    assert.notEqual(result.code, 0, `git found ${result.stdout.trim()}`);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("a repository replaced by a plain folder while running is MISSING, not its parent", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const parentHead = await git(a, a.workspace, "rev-parse", "HEAD");
  const { monitor, store } = monitorFor(runner, { repo1: a.repoPath("repo1") });
  await monitor.refresh("repo1");
  assert.equal(monitor.status("repo1")?.state, "UP_TO_DATE");

  await Deno.rename(a.repoPath("repo1"), join(a.workspace, "elsewhere"));
  await Deno.mkdir(a.repoPath("repo1"));
  await Deno.writeTextFile(join(a.repoPath("repo1"), "new.txt"), "x\n");

  assert.equal(await monitor.fetch("repo1"), null);
  assert.equal(await monitor.fastForward("repo1"), null);
  await monitor.refresh("repo1");
  const [status] = await store.listRepositories("a");
  assert.equal(status?.state, "MISSING");
  assert.match(status?.error ?? "", /is not a git repository/);
  assert.equal(status?.branch, null);
  await assertParentUntouched(a, parentHead);
});

Deno.test("a repository whose .git was removed while running is MISSING", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const parentHead = await git(a, a.workspace, "rev-parse", "HEAD");
  const { monitor } = monitorFor(runner, { repo1: a.repoPath("repo1") });
  await monitor.refresh("repo1");
  await Deno.remove(join(a.repoPath("repo1"), ".git"), { recursive: true });
  assert.equal(await monitor.fetch("repo1"), null);
  await monitor.refresh("repo1");
  assert.equal(monitor.status("repo1")?.state, "MISSING");
  await assertParentUntouched(a, parentHead);
});

Deno.test("a repository deleted while running is MISSING and says it does not exist", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const { monitor } = monitorFor(runner, { repo1: a.repoPath("repo1") });
  await monitor.refresh("repo1");
  await Deno.remove(a.repoPath("repo1"), { recursive: true });
  await monitor.refresh("repo1");
  assert.equal(monitor.status("repo1")?.state, "MISSING");
  assert.match(monitor.status("repo1")?.error ?? "", /does not exist/);
});

Deno.test("a .git replaced by a gitfile pointing at another repository is MISSING", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const other = join(a.workspace, "other");
  await git(a, a.workspace, "clone", "-q", env.ws.originPath("repo1"), other);
  const { monitor } = monitorFor(runner, { repo1: a.repoPath("repo1") });
  await monitor.refresh("repo1");
  await Deno.remove(join(a.repoPath("repo1"), ".git"), { recursive: true });
  await Deno.writeTextFile(join(a.repoPath("repo1"), ".git"), `gitdir: ${join(other, ".git")}\n`);
  assert.equal(await monitor.fetch("repo1"), null);
  await monitor.refresh("repo1");
  assert.equal(monitor.status("repo1")?.state, "MISSING");
  assert.match(monitor.status("repo1")?.error ?? "", /belongs to ".*other"/);
  assert.equal(
    await pathExists(join(other, ".git", "FETCH_HEAD")),
    false,
    "the other repository was fetched",
  );
});

Deno.test("a linked worktree is a repository of its own and is located", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const linked = join(a.workspace, "linked");
  await git(a, a.repoPath("repo1"), "worktree", "add", "-q", "-b", "side", linked);
  const { monitor } = monitorFor(runner, { linked });
  await monitor.refresh("linked");
  assert.equal(monitor.status("linked")?.state, "NO_UPSTREAM");
  assert.equal(monitor.status("linked")?.branch, "side");
});

Deno.test("a configured folder that is a subfolder of a repository is MISSING and names why", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const sub = join(a.repoPath("repo1"), "sub");
  await Deno.mkdir(sub);
  const { monitor } = monitorFor(runner, { sub });
  await monitor.refresh("sub");
  assert.equal(monitor.status("sub")?.state, "MISSING");
  assert.match(monitor.status("sub")?.error ?? "", /is not a git repository/);
});

Deno.test("a configured symlink is followed, and re-pointing it at a plain folder makes it MISSING", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const parentHead = await git(a, a.workspace, "rev-parse", "HEAD");
  const link = join(a.workspace, "link");
  await Deno.symlink(a.repoPath("repo1"), link);
  const { monitor } = monitorFor(runner, { link });
  await monitor.refresh("link");
  assert.equal(monitor.status("link")?.state, "UP_TO_DATE");

  const plain = join(a.workspace, "plain");
  await Deno.mkdir(plain);
  await Deno.remove(link);
  await Deno.symlink(plain, link);
  assert.equal(await monitor.fetch("link"), null);
  await monitor.refresh("link");
  assert.equal(monitor.status("link")?.state, "MISSING");
  await assertParentUntouched(a, parentHead);
});

Deno.test("a repository moved away and a fresh clone put in its place is located again", async () => {
  await using env = await nestedWorkspace();
  const { a, runner } = env;
  const { monitor } = monitorFor(runner, { repo1: a.repoPath("repo1") });
  await monitor.refresh("repo1");
  const first = monitor.location("repo1");
  await Deno.rename(a.repoPath("repo1"), join(a.workspace, "moved"));
  await git(a, a.workspace, "clone", "-q", env.ws.originPath("repo1"), a.repoPath("repo1"));
  await git(a, a.repoPath("repo1"), "checkout", "-q", "-b", "fresh");
  await monitor.refresh("repo1");
  assert.equal(monitor.status("repo1")?.branch, "fresh");
  assert.notDeepEqual(monitor.location("repo1")?.identity, first?.identity);
});
