/** The safety rules of the automatic fast-forward, against real repositories. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, type RepoLocation } from "../../src/git/repo.ts";
import { explainRefusal, fastForwardIfSafe } from "../../src/git/fast_forward.ts";
import type { SyncResult } from "../../src/git/repo_status.ts";

const REPO = "repo1";

async function setup() {
  const ws = await gitWorkspace({ machines: ["a", "b"], repositories: [REPO] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => b.env[name]) });
  const found = await locateRepository(runner, { name: REPO, path: b.repoPath(REPO), autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  return {
    ws,
    a,
    b,
    runner,
    location: found.location,
    [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose](),
  };
}

function fastForward(runner: DenoGitRunner, location: RepoLocation): Promise<SyncResult> {
  return fastForwardIfSafe(runner, location, {
    now: () => new Date(),
    sleep: () => Promise.resolve(),
    lockRetries: 1,
  });
}

async function pushFromA(a: Machine, path = "README.md", content = "from a\n"): Promise<string> {
  const sha = await a.commitFile(REPO, path, content, `change ${path}`);
  await a.push(REPO);
  return sha;
}

Deno.test("fastForwardIfSafe() moves a clean clone that is strictly behind", async () => {
  await using fx = await setup();
  const sha = await pushFromA(fx.a);
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "fast-forwarded");
  assert.equal(await fx.b.head(REPO), sha);
});

Deno.test("fastForwardIfSafe() keeps local changes to other files", async () => {
  await using fx = await setup();
  const sha = await pushFromA(fx.a, "other.txt", "new file\n");
  await Deno.writeTextFile(join(fx.b.repoPath(REPO), "README.md"), "local edit\n");
  await fx.b.git(REPO, "fetch");
  assert.equal((await fastForward(fx.runner, fx.location)).result, "fast-forwarded");
  assert.equal(await fx.b.head(REPO), sha);
  assert.equal(await Deno.readTextFile(join(fx.b.repoPath(REPO), "README.md")), "local edit\n");
});

Deno.test("fastForwardIfSafe() refuses when the update touches a file with local changes", async () => {
  await using fx = await setup();
  const before = await fx.b.head(REPO);
  await pushFromA(fx.a, "README.md", "from a\n");
  const file = join(fx.b.repoPath(REPO), "README.md");
  await Deno.writeTextFile(file, "unsaved work\n");
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "blocked");
  assert.match(result.reason ?? "", /local changes would be overwritten: README\.md/);
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await Deno.readTextFile(file), "unsaved work\n");
});

Deno.test("fastForwardIfSafe() refuses when a staged change touches the same file", async () => {
  await using fx = await setup();
  const before = await fx.b.head(REPO);
  await pushFromA(fx.a, "README.md", "from a\n");
  await Deno.writeTextFile(join(fx.b.repoPath(REPO), "README.md"), "staged work\n");
  await fx.b.git(REPO, "add", "README.md");
  await fx.b.git(REPO, "fetch");
  assert.equal((await fastForward(fx.runner, fx.location)).result, "blocked");
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await fx.b.git(REPO, "show", ":README.md"), "staged work");
});

Deno.test("fastForwardIfSafe() never overwrites an ignored file", async () => {
  await using fx = await setup();
  await fx.a.commitFile(REPO, ".gitignore", "secret.env\n", "ignore");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "--ff-only");
  const before = await fx.b.head(REPO);
  const secret = join(fx.b.repoPath(REPO), "secret.env");
  await Deno.writeTextFile(secret, "mine\n");
  await fx.a.git(REPO, "rm", "--cached", "-q", ".gitignore");
  await Deno.remove(join(fx.a.repoPath(REPO), ".gitignore"));
  await fx.a.commitFile(REPO, "secret.env", "theirs\n", "track secret");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "blocked");
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await Deno.readTextFile(secret), "mine\n");
});

Deno.test("fastForwardIfSafe() leaves a diverged branch alone", async () => {
  await using fx = await setup();
  await pushFromA(fx.a);
  const local = await fx.b.commitFile(REPO, "mine.txt", "local commit\n", "local");
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "skipped");
  assert.match(result.reason ?? "", /diverged/);
  assert.equal(await fx.b.head(REPO), local);
});

Deno.test("fastForwardIfSafe() does nothing while a rebase is in progress", async () => {
  await using fx = await setup();
  await fx.b.commitFile(REPO, "README.md", "b's version\n", "b edits readme");
  await fx.a.commitFile(REPO, "README.md", "a's version\n", "a edits readme");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch");
  await assert.rejects(fx.b.git(REPO, "rebase", "origin/main"));
  const head = await fx.b.git(REPO, "rev-parse", "HEAD");
  await pushFromA(fx.a, "later.txt", "more\n");
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "skipped");
  assert.equal(result.reason, "rebase in progress");
  assert.equal(await fx.b.git(REPO, "rev-parse", "HEAD"), head);
});

Deno.test("fastForwardIfSafe() waits out and then reports an index.lock", async () => {
  await using fx = await setup();
  const before = await fx.b.head(REPO);
  await pushFromA(fx.a);
  await fx.b.git(REPO, "fetch");
  const lock = join(fx.location.gitDir, "index.lock");
  await Deno.writeTextFile(lock, "");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "blocked");
  assert.match(result.reason ?? "", /index\.lock/);
  assert.equal(await fx.b.head(REPO), before);
});

Deno.test("fastForwardIfSafe() moves other branches behind their upstream without checking them out", async () => {
  await using fx = await setup();
  await fx.a.git(REPO, "checkout", "-q", "-b", "feature");
  await fx.a.commitFile(REPO, "f.txt", "1\n", "feature 1");
  await fx.a.push(REPO, "-u", "origin", "feature");
  await fx.b.git(REPO, "fetch");
  await fx.b.git(REPO, "branch", "-q", "--track", "feature", "origin/feature");
  const sha = await fx.a.commitFile(REPO, "f.txt", "2\n", "feature 2");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch");
  const result = await fastForward(fx.runner, fx.location);
  assert.equal(result.result, "fast-forwarded");
  assert.equal(await fx.b.git(REPO, "rev-parse", "feature"), sha);
  assert.equal(await fx.b.git(REPO, "rev-parse", "--abbrev-ref", "HEAD"), "main");
});

Deno.test("fastForwardIfSafe() runs no hook that an incoming commit brings", async () => {
  await using fx = await setup();
  const marker = join(fx.ws.root, "hook-ran");
  await fx.a.commitFile(REPO, "hooks/post-merge", `#!/bin/sh\ntouch '${marker}'\n`, "add hook");
  await fx.a.git(REPO, "update-index", "--chmod=+x", "hooks/post-merge");
  await fx.a.git(REPO, "commit", "-q", "-m", "make executable");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "config", "core.hooksPath", "hooks");
  await fx.b.git(REPO, "fetch");
  assert.equal((await fastForward(fx.runner, fx.location)).result, "fast-forwarded");
  await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
});

Deno.test("explainRefusal() names the files git protected", () => {
  const stderr = "error: Your local changes to the following files would be overwritten by merge:\n" +
    "\tREADME.md\n\tsrc/a.ts\nPlease commit your changes or stash them before you merge.\nAborting\n";
  assert.equal(explainRefusal(stderr), "local changes would be overwritten: README.md, src/a.ts");
  assert.equal(explainRefusal("fatal: something else\n"), "something else");
});
