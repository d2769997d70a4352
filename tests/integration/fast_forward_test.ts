/** The safety rules of the automatic fast-forward, against real repositories. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, syncFixture } from "../helpers/sync_fixture.ts";

Deno.test("fastForwardIfSafe() moves a clean clone that is strictly behind", async () => {
  await using fx = await syncFixture();
  const sha = await fx.arrive();
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded");
  assert.match(result.reason ?? "", /^main [0-9a-f]{7}\.\.[0-9a-f]{7}$/);
  assert.equal(await fx.b.head(REPO), sha);
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "", "index and worktree follow HEAD");
  assert.match(await fx.b.git(REPO, "reflog", "-1", "--format=%gs", "main"), /^gitargus: fast-forward$/);
});

Deno.test("fastForwardIfSafe() keeps local changes to other files, staged and unstaged", async () => {
  await using fx = await syncFixture();
  const sha = await fx.arrive("other.txt", "new file\n");
  await Deno.writeTextFile(join(fx.path, "README.md"), "local edit\n");
  await Deno.writeTextFile(join(fx.path, "staged.txt"), "staged\n");
  await fx.b.git(REPO, "add", "staged.txt");
  assert.equal((await fx.fastForward()).result, "fast-forwarded");
  assert.equal(await fx.b.head(REPO), sha);
  assert.equal(await Deno.readTextFile(join(fx.path, "README.md")), "local edit\n");
  assert.equal(await fx.b.git(REPO, "diff", "--cached", "--name-only"), "staged.txt");
});

Deno.test("fastForwardIfSafe() never overwrites an ignored file", async () => {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, ".gitignore", "secret.env\n", "ignore");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "--ff-only");
  const before = await fx.b.head(REPO);
  const secret = join(fx.path, "secret.env");
  await Deno.writeTextFile(secret, "mine\n");
  await fx.a.git(REPO, "rm", "--cached", "-q", ".gitignore");
  await Deno.remove(join(fx.a.repoPath(REPO), ".gitignore"));
  await fx.a.commitFile(REPO, "secret.env", "theirs\n", "track secret");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked");
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await Deno.readTextFile(secret), "mine\n");
});

Deno.test("fastForwardIfSafe() leaves a diverged branch alone", async () => {
  await using fx = await syncFixture();
  await fx.arrive();
  const local = await fx.b.commitFile(REPO, "mine.txt", "local commit\n", "local");
  const result = await fx.fastForward();
  assert.equal(result.result, "skipped");
  assert.match(result.reason ?? "", /diverged/);
  assert.equal(await fx.b.head(REPO), local);
});

Deno.test("fastForwardIfSafe() does nothing while a rebase is in progress", async () => {
  await using fx = await syncFixture();
  await fx.b.commitFile(REPO, "README.md", "b's version\n", "b edits readme");
  await fx.arrive("README.md", "a's version\n");
  await assert.rejects(fx.b.git(REPO, "rebase", "origin/main"));
  const head = await fx.b.git(REPO, "rev-parse", "HEAD");
  await fx.arrive("later.txt", "more\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "skipped");
  assert.equal(result.reason, "rebase in progress");
  assert.equal(result.retry, true);
  assert.equal(await fx.b.git(REPO, "rev-parse", "HEAD"), head);
});

Deno.test("fastForwardIfSafe() waits out and then reports an index.lock", async () => {
  await using fx = await syncFixture();
  const before = await fx.b.head(REPO);
  await fx.arrive();
  const lock = join(fx.location.gitDir, "index.lock");
  await Deno.writeTextFile(lock, "someone else's\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked");
  assert.equal(result.reason, "index.lock exists (another git command is running)");
  assert.equal(result.retry, true);
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await Deno.readTextFile(lock), "someone else's\n", "another process's lock is never touched");
});

Deno.test("fastForwardIfSafe() moves other branches behind their upstream without checking them out", async () => {
  await using fx = await syncFixture();
  await fx.a.git(REPO, "checkout", "-q", "-b", "feature");
  await fx.a.commitFile(REPO, "f.txt", "1\n", "feature 1");
  await fx.a.push(REPO, "-u", "origin", "feature");
  await fx.b.git(REPO, "fetch");
  await fx.b.git(REPO, "branch", "-q", "--track", "feature", "origin/feature");
  const sha = await fx.arrive("f.txt", "2\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded");
  assert.equal(await fx.b.git(REPO, "rev-parse", "feature"), sha);
  assert.equal(await fx.b.git(REPO, "rev-parse", "--abbrev-ref", "HEAD"), "main");
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "");
});

Deno.test("fastForwardIfSafe() runs no hook that an incoming commit brings", async () => {
  await using fx = await syncFixture();
  const marker = join(fx.ws.root, "hook-ran");
  await fx.a.commitFile(REPO, "hooks/post-merge", `#!/bin/sh\ntouch '${marker}'\n`, "add hook");
  await fx.a.git(REPO, "update-index", "--chmod=+x", "hooks/post-merge");
  await fx.a.git(REPO, "commit", "-q", "-m", "make executable");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "config", "core.hooksPath", "hooks");
  await fx.b.git(REPO, "fetch");
  assert.equal((await fx.fastForward()).result, "fast-forwarded");
  await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
});

Deno.test("fastForwardIfSafe() brings incoming deletions, renames and new directories", async () => {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, "old/name.txt", "content\n", "add");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q", "--ff-only");
  await Deno.mkdir(join(fx.a.repoPath(REPO), "new/dir"), { recursive: true });
  await fx.a.git(REPO, "mv", "old/name.txt", "new/dir/name.txt");
  await fx.a.git(REPO, "rm", "-q", "README.md");
  await fx.a.git(REPO, "commit", "-qm", "move and delete");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  assert.equal((await fx.fastForward()).result, "fast-forwarded");
  assert.equal(await Deno.readTextFile(join(fx.path, "new/dir/name.txt")), "content\n");
  await assert.rejects(Deno.lstat(join(fx.path, "old/name.txt")), Deno.errors.NotFound);
  await assert.rejects(Deno.lstat(join(fx.path, "README.md")), Deno.errors.NotFound);
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "");
});
