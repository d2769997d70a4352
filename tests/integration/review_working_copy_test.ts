/**
 * The receiving machine's working copy in setups next to the common ones: sparse checkouts, line-ending
 * settings, unborn branches, intent-to-add entries. A move happens exactly when it is safe, the user's bytes
 * stay as they were, and the note says what is true.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readBytes, REPO, syncFixture } from "../helpers/sync_fixture.ts";

Deno.test("a sparse checkout fast-forwards when the push changes a file outside the sparse set", async () => {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, "inside/a.txt", "1\n", "inside");
  await fx.a.commitFile(REPO, "outside/b.txt", "1\n", "outside");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q");
  await fx.b.git(REPO, "sparse-checkout", "set", "--cone", "inside");
  const target = await fx.arrive("outside/b.txt", "2\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await readBytes(join(fx.path, "outside/b.txt")), "<absent>");
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "");
});

Deno.test("a non-cone sparse checkout fast-forwards a change inside the sparse set", async () => {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, "keep.txt", "1\n", "keep");
  await fx.a.commitFile(REPO, "skip.txt", "1\n", "skip");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q");
  await fx.b.git(REPO, "sparse-checkout", "set", "--no-cone", "/keep.txt", "/README.md");
  await fx.a.commitFile(REPO, "skip.txt", "2\n", "skip 2");
  const target = await fx.arrive("keep.txt", "2\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await readBytes(join(fx.path, "keep.txt")), "2\n");
  assert.equal(await readBytes(join(fx.path, "skip.txt")), "<absent>");
});

Deno.test("a file marked skip-worktree by hand still blocks a push that changes it", async () => {
  await using fx = await syncFixture();
  await fx.arrive("settings.txt", "1\n");
  await fx.b.git(REPO, "pull", "-q");
  await fx.b.git(REPO, "update-index", "--skip-worktree", "settings.txt");
  await Deno.writeTextFile(join(fx.path, "settings.txt"), "mine\n");
  await fx.arrive("settings.txt", "2\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.equal(await readBytes(join(fx.path, "settings.txt")), "mine\n");
});

Deno.test("an incoming .gitattributes that changes line endings leaves untouched files byte-identical", async () => {
  await using fx = await syncFixture();
  await fx.arrive("notes.txt", "one\ntwo\n");
  await fx.b.git(REPO, "pull", "-q");
  await fx.a.commitFile(REPO, ".gitattributes", "*.txt eol=crlf\n", "crlf");
  const target = await fx.arrive("other.md", "x\n");
  const result = await fx.fastForward();
  assert.equal(await readBytes(join(fx.path, "notes.txt")), "one\ntwo\n");
  if (result.result === "fast-forwarded") assert.equal(await fx.b.head(REPO), target);
  else assert.doesNotMatch(result.reason ?? "", /changed while/);
});

Deno.test("core.autocrlf on the receiving machine fast-forwards and writes its line endings", async () => {
  await using fx = await syncFixture();
  await fx.b.git(REPO, "config", "core.autocrlf", "true");
  await fx.arrive("notes.txt", "one\ntwo\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await readBytes(join(fx.path, "notes.txt")), "one\r\ntwo\r\n");
  assert.equal(await fx.b.git(REPO, "status", "--porcelain"), "");
});

Deno.test("an unborn branch checked out is not reported as a detached HEAD", async () => {
  await using fx = await syncFixture();
  await fx.b.git(REPO, "checkout", "-q", "--orphan", "fresh");
  await fx.arrive();
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.match(result.reason ?? "", /^fresh has no commits yet; main /);
});

Deno.test("an intent-to-add entry outside the push stays and the branch moves", async () => {
  await using fx = await syncFixture();
  await Deno.writeTextFile(join(fx.path, "draft.txt"), "mine\n");
  await fx.b.git(REPO, "add", "-N", "draft.txt");
  const target = await fx.arrive();
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await fx.b.git(REPO, "diff", "--name-only"), "draft.txt");
  assert.equal(await fx.b.git(REPO, "diff", "--cached", "--name-only"), "");
  assert.equal(await readBytes(join(fx.path, "draft.txt")), "mine\n");
});

Deno.test("a staged chmod outside the push stays staged and the branch moves", async () => {
  await using fx = await syncFixture();
  await fx.arrive("run.sh", "echo\n");
  await fx.b.git(REPO, "pull", "-q");
  await fx.b.git(REPO, "update-index", "--chmod=+x", "run.sh");
  const target = await fx.arrive();
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.match(await fx.b.git(REPO, "ls-files", "-s", "run.sh"), /^100755 /);
});

Deno.test("a local symlink to a folder outside blocks a push that adds a file below it", async () => {
  await using fx = await syncFixture();
  await using outside = await scratchDir();
  await Deno.symlink(outside.path, join(fx.path, "vendor"));
  await fx.arrive("vendor/lib.txt", "x\n");
  const unchanged = await fx.untouched("vendor");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.match(result.reason ?? "", /vendor \(untracked\)/);
  assert.deepEqual([...Deno.readDirSync(outside.path)], []);
  await unchanged();
});

Deno.test("a tracked folder replaced by a symlink to outside blocks a push that adds a file in it", async () => {
  await using fx = await syncFixture();
  await using outside = await scratchDir();
  await fx.arrive("docs/guide.md", "1\n");
  await fx.b.git(REPO, "pull", "-q");
  await Deno.remove(join(fx.path, "docs"), { recursive: true });
  await Deno.symlink(outside.path, join(fx.path, "docs"));
  await fx.arrive("docs/new.md", "x\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.deepEqual([...Deno.readDirSync(outside.path)], []);
  assert.equal(await readBytes(join(fx.path, "docs")), `<link ${outside.path}>`);
});

Deno.test("an incoming symlink where the user has an untracked file blocks, and the file stays", async () => {
  await using fx = await syncFixture();
  await fx.a.git(REPO, "checkout", "-q", "main");
  await Deno.symlink("README.md", join(fx.a.repoPath(REPO), "link"));
  await fx.a.git(REPO, "add", "link");
  await fx.a.git(REPO, "commit", "-qm", "link");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  await Deno.writeTextFile(join(fx.path, "link"), "mine\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.equal(await readBytes(join(fx.path, "link")), "mine\n");
});

Deno.test("names with tabs, quotes and newlines arrive, and a local edit of one blocks the next", async () => {
  await using fx = await syncFixture();
  const name = 'odd\tname "quoted"\nline.txt';
  const first = await fx.arrive(name, "1\n");
  assert.equal((await fx.fastForward()).result, "fast-forwarded");
  assert.equal(await fx.b.head(REPO), first);
  await fx.arrive(name, "2\n");
  await Deno.writeTextFile(join(fx.path, name), "mine\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.equal(await fx.b.head(REPO), first);
  assert.equal(await readBytes(join(fx.path, name)), "mine\n");
});

Deno.test("a case-only rename arrives as a deletion and an addition", async () => {
  await using fx = await syncFixture();
  await fx.a.git(REPO, "mv", "README.md", "readme.md");
  await fx.a.git(REPO, "commit", "-qm", "rename");
  const target = await fx.a.head(REPO);
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await fx.b.git(REPO, "ls-files"), "readme.md");
});

for (
  const [what, ignore, files] of [
    ["a file", "*.log\n", ["build.log"]],
    ["a folder", "build/\n", ["build/a.o", "build/b.o"]],
  ] as const
) {
  Deno.test(`an incoming .gitignore that ignores ${what} of the user's still fast-forwards, the files kept`, async () => {
    await using fx = await syncFixture();
    await Deno.mkdir(join(fx.path, "build"));
    for (const file of files) await Deno.writeTextFile(join(fx.path, file), `mine ${file}\n`);
    const target = await fx.arrive(".gitignore", ignore);
    const result = await fx.fastForward();
    assert.equal(result.result, "fast-forwarded", result.reason);
    assert.equal(await fx.b.head(REPO), target);
    for (const file of files) assert.equal(await readBytes(join(fx.path, file)), `mine ${file}\n`);
  });
}

Deno.test("an incoming .gitignore that stops ignoring the user's files still fast-forwards", async () => {
  await using fx = await syncFixture();
  await fx.arrive(".gitignore", "cache/\n");
  await fx.b.git(REPO, "pull", "-q");
  await Deno.mkdir(join(fx.path, "cache"));
  await Deno.writeTextFile(join(fx.path, "cache/a.bin"), "mine\n");
  const target = await fx.arrive(".gitignore", "# nothing ignored\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "fast-forwarded", result.reason);
  assert.equal(await fx.b.head(REPO), target);
  assert.equal(await readBytes(join(fx.path, "cache/a.bin")), "mine\n");
});

Deno.test("an untracked file of the user's that changes while the move runs calls the move off", async () => {
  await using fx = await syncFixture();
  await fx.arrive(".gitattributes", "*.dat filter=stamp\n");
  await fx.b.git(REPO, "pull", "-q");
  // The smudge filter runs inside the move, standing in for the user's editor saving at that moment.
  await fx.b.git(REPO, "config", "filter.stamp.smudge", "sh -c 'echo edited > notes.txt; cat'");
  await Deno.writeTextFile(join(fx.path, "notes.txt"), "mine\n");
  const before = await fx.b.head(REPO);
  await fx.arrive("data.dat", "new\n");
  const result = await fx.fastForward();
  assert.equal(result.result, "failed", result.reason);
  assert.match(result.reason ?? "", /was undone: notes\.txt changed while the fast-forward ran/);
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await readBytes(join(fx.path, "data.dat")), "<absent>");
  assert.equal(await readBytes(join(fx.path, "notes.txt")), "edited\n");
});

async function scratchDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-outside-" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}
