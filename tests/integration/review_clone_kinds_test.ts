/**
 * Kinds of clone and checkout on the receiving machine beyond the plain one: partial and shallow clones, a
 * configured folder that is a linked worktree, a worktree moved by hand, submodules. Each either moves
 * exactly as git would and leaves the user's files as they were, or refuses and says why.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readBytes, REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { locateRepository, type RepoLocation } from "../../src/git/repo.ts";
import { fastForwardIfSafe } from "../../src/sync/mod.ts";

/** Replaces b's clone by a fresh one made with `options`, over file:// so that filters and depth apply. */
async function recloneB(fx: SyncFixture, ...options: string[]): Promise<void> {
  const origin = fx.ws.originPath(REPO);
  await git(fx, origin, "config", "uploadpack.allowFilter", "true");
  await Deno.remove(fx.path, { recursive: true });
  await git(fx, fx.b.workspace, "clone", "-q", ...options, `file://${origin}`, fx.path);
}

async function git(fx: SyncFixture, cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, env: fx.b.env, clearEnv: true }).output();
  assert.equal(out.code, 0, `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

function fastForwardAt(fx: SyncFixture, location: RepoLocation) {
  return fastForwardIfSafe(fx.runner, location, {
    now: () => new Date(),
    sleep: () => Promise.resolve(),
    // The state was staged with git just before: no user is at work in it (src/sync/user_activity.ts).
    quietMs: 0,
    lockRetries: 1,
  });
}

/** `side` pushed by a and fetched by b; b has no local branch for it yet. */
async function sideBranch(fx: SyncFixture): Promise<void> {
  await fx.a.git(REPO, "checkout", "-q", "-b", "side");
  await fx.a.commitFile(REPO, "s.txt", "1\n", "side 1");
  await fx.a.push(REPO, "-u", "origin", "side");
  await fx.b.git(REPO, "fetch", "-q");
}

Deno.test("a partial clone fetches the incoming files without running the repository's upload-pack", async () => {
  await using fx = await syncFixture();
  await recloneB(fx, "--filter=blob:none");
  const target = await fx.arrive("big.txt", "payload\n");
  const marker = join(fx.ws.root, "upload-pack-ran");
  const planted = join(fx.ws.root, "planted.sh");
  await Deno.writeTextFile(planted, `#!/bin/sh\ntouch '${marker}'\nexec git-upload-pack "$@"\n`);
  await Deno.chmod(planted, 0o755);
  await fx.b.git(REPO, "config", "remote.origin.uploadpack", planted);
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await readBytes(join(fx.path, "big.txt")), "payload\n");
  assert.equal(await readBytes(marker), "<absent>");
});

Deno.test("a partial clone whose remote is unreachable waits without touching the worktree", async () => {
  await using fx = await syncFixture();
  await recloneB(fx, "--filter=blob:none");
  await fx.arrive("big.txt", "payload\n");
  await Deno.rename(fx.ws.originPath(REPO), `${fx.ws.originPath(REPO)}.away`);
  const unchanged = await fx.untouched("big.txt", "README.md");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.match(result.reason ?? "", /^cannot fetch \d+ incoming objects of this partial clone from "origin"/);
  assert.equal(result.retry, true);
  await unchanged();
});

Deno.test("a shallow clone fast-forwards", async () => {
  await using fx = await syncFixture();
  await fx.arrive("x.txt", "1\n");
  await recloneB(fx, "--depth=1");
  const target = await fx.arrive("x.txt", "2\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await readBytes(join(fx.path, "x.txt")), "2\n");
});

Deno.test("a configured folder that is a linked worktree moves its own branch and files only", async () => {
  await using fx = await syncFixture();
  await sideBranch(fx);
  const dir = join(fx.b.workspace, "side-worktree");
  await fx.b.git(REPO, "worktree", "add", "-q", dir, "side");
  await Deno.writeTextFile(join(dir, "mine.txt"), "mine\n");
  const target = await fx.arrive("s.txt", "2\n");
  const found = await locateRepository(fx.runner, { name: "side", path: dir, autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  const result = await fastForwardAt(fx, found.location);
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.git(REPO, "rev-parse", "side"), target);
  assert.equal(await readBytes(join(dir, "s.txt")), "2\n");
  assert.equal(await readBytes(join(dir, "mine.txt")), "mine\n");
  assert.equal(await readBytes(join(fx.path, "s.txt")), "<absent>");
});

Deno.test("a branch in a worktree moved by hand stays put until the worktree is repaired or pruned", async () => {
  await using fx = await syncFixture();
  await sideBranch(fx);
  const dir = join(fx.b.workspace, "side-worktree");
  await fx.b.git(REPO, "worktree", "add", "-q", dir, "side");
  await Deno.rename(dir, `${dir}-moved`);
  const before = await fx.b.git(REPO, "rev-parse", "side");
  await fx.arrive("s.txt", "2\n");
  const result = await fx.fastForward();
  assert.match(
    result.reason ?? "",
    /side is checked out in worktree .*directory is missing: `git worktree repair/,
  );
  assert.equal(await fx.b.git(REPO, "rev-parse", "side"), before);
  assert.equal(await readBytes(join(`${dir}-moved`, "s.txt")), "1\n");
});

Deno.test("a locked worktree whose drive is gone keeps its branch and says to unlock before pruning", async () => {
  await using fx = await syncFixture();
  await sideBranch(fx);
  const dir = join(fx.b.workspace, "side-worktree");
  await fx.b.git(REPO, "worktree", "add", "-q", dir, "side");
  await fx.b.git(REPO, "worktree", "lock", "--reason", "on a removable drive", dir);
  await Deno.remove(dir, { recursive: true });
  const before = await fx.b.git(REPO, "rev-parse", "side");
  await fx.arrive("s.txt", "2\n");
  const result = await fx.fastForward();
  assert.match(result.reason ?? "", /side is checked out in worktree .*missing and the worktree is locked/);
  assert.equal(await fx.b.git(REPO, "rev-parse", "side"), before);
});

Deno.test("a submodule update moves the gitlink and leaves the submodule's own files alone", async () => {
  await using fx = await syncFixture();
  const first = await fx.a.head(REPO);
  await fx.a.git(REPO, "update-index", "--add", "--cacheinfo", `160000,${first},sub`);
  await fx.a.git(REPO, "commit", "-qm", "add sub");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q");
  const next = await fx.a.commitFile(REPO, "z.txt", "z\n", "z");
  await fx.a.git(REPO, "update-index", "--cacheinfo", `160000,${next},sub`);
  await fx.a.git(REPO, "commit", "-qm", "move sub");
  const target = await fx.a.head(REPO);
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.match(await fx.b.git(REPO, "ls-files", "-s", "sub"), new RegExp(`^160000 ${next} `));
});

Deno.test("a submodule with work of its own blocks the update that moves it", async () => {
  await using fx = await syncFixture();
  const first = await fx.a.head(REPO);
  await fx.a.git(REPO, "update-index", "--add", "--cacheinfo", `160000,${first},sub`);
  await fx.a.git(REPO, "commit", "-qm", "add sub");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q");
  await Deno.remove(join(fx.path, "sub"), { recursive: true });
  await git(fx, fx.path, "clone", "-q", fx.ws.originPath(REPO), "sub");
  await git(fx, join(fx.path, "sub"), "checkout", "-q", first);
  await Deno.writeTextFile(join(fx.path, "sub", "wip.txt"), "mine\n");
  const next = await fx.a.commitFile(REPO, "z.txt", "z\n", "z");
  await fx.a.git(REPO, "update-index", "--cacheinfo", `160000,${next},sub`);
  await fx.a.git(REPO, "commit", "-qm", "move sub");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  const unchanged = await fx.untouched("sub/wip.txt");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.match(result.reason ?? "", /sub \(modified\)/);
  await unchanged();
});
