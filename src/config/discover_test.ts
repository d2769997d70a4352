import assert from "node:assert/strict";
import { join } from "node:path";
import { type DirEntry, discoverRepositories, type DiscoveryFs, isSkipped } from "./discover.ts";
import { tempDir } from "./_testing.ts";

/** Folders named as paths; a `.git` folder or file marks a repository without running git. */
async function layout(root: string, repos: string[], gitFiles: string[] = []): Promise<void> {
  for (const repo of repos) await Deno.mkdir(join(root, repo, ".git"), { recursive: true });
  for (const repo of gitFiles) {
    await Deno.mkdir(join(root, repo), { recursive: true });
    await Deno.writeTextFile(join(root, repo, ".git"), "gitdir: ../.git/worktrees/x\n");
  }
}

Deno.test("discoverRepositories() finds repositories at several depths, sorted, with forward slashes", async () => {
  await using dir = await tempDir();
  await layout(dir.path, ["zeta", "alpha", "project1/repo1", "project1/repo2", "a/b/c/deep"]);
  await dir.mkdir("empty/folder");
  await dir.write("notes.txt", "not a folder");
  const found = await discoverRepositories(dir.path, 4);
  assert.deepEqual(found.repositories, ["a/b/c/deep", "alpha", "project1/repo1", "project1/repo2", "zeta"]);
  assert.equal(found.rootIsRepository, false);
  assert.deepEqual(found.unreadable, []);
});

Deno.test("discoverRepositories() does not search inside a repository", async () => {
  await using dir = await tempDir();
  await layout(dir.path, ["outer", "outer/nested", "outer/sub/module"]);
  assert.deepEqual((await discoverRepositories(dir.path, 4)).repositories, ["outer"]);
});

Deno.test("discoverRepositories() stops at the depth limit", async () => {
  await using dir = await tempDir();
  await layout(dir.path, ["one", "x/two", "x/y/three"]);
  assert.deepEqual((await discoverRepositories(dir.path, 1)).repositories, ["one"]);
  assert.deepEqual((await discoverRepositories(dir.path, 2)).repositories, ["one", "x/two"]);
  assert.deepEqual((await discoverRepositories(dir.path, 3)).repositories, ["one", "x/two", "x/y/three"]);
});

Deno.test("discoverRepositories() skips dependency, build and hidden folders", async () => {
  await using dir = await tempDir();
  await layout(dir.path, [
    "app",
    "web/node_modules/pkg",
    "node_modules/pkg",
    "rust/target/debug/crate",
    "py/.venv/src/lib",
    "py/venv/src/lib",
    "py/__pycache__/x",
    ".cache/repo",
    ".hidden-repo",
    "go/vendor/mod",
    "js/dist/x",
    "js/build/x",
  ]);
  assert.deepEqual((await discoverRepositories(dir.path, 4)).repositories, ["app"]);
});

Deno.test("discoverRepositories() does not follow a symlinked folder", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  await layout(outside.path, ["elsewhere"]);
  await layout(dir.path, ["real"]);
  await Deno.symlink(outside.path, join(dir.path, "linked"));
  await Deno.symlink(join(dir.path, "real"), join(dir.path, "alias"));
  assert.deepEqual((await discoverRepositories(dir.path, 4)).repositories, ["real"]);
});

Deno.test("discoverRepositories() counts a .git file (worktree, submodule) as a repository", async () => {
  await using dir = await tempDir();
  await layout(dir.path, ["main"], ["worktrees/feature"]);
  assert.deepEqual((await discoverRepositories(dir.path, 4)).repositories, ["main", "worktrees/feature"]);
});

Deno.test("discoverRepositories() reports a root that is a repository and still searches below it", async () => {
  await using dir = await tempDir();
  await layout(dir.path, [".", "libs/inner"]);
  const found = await discoverRepositories(dir.path, 4);
  assert.equal(found.rootIsRepository, true);
  assert.deepEqual(found.repositories, ["libs/inner"]);
});

Deno.test("discoverRepositories() passes over a folder it cannot read and names it", async () => {
  const tree: Record<string, DirEntry[]> = {
    "/w": [dirEntry("ok"), dirEntry("locked")],
    "/w/ok": [dirEntry(".git")],
  };
  const fs: DiscoveryFs = {
    readDir(path) {
      const entries = tree[path];
      return entries ? Promise.resolve(entries) : Promise.reject(new Error(`Permission denied: ${path}`));
    },
  };
  const found = await discoverRepositories("/w", 4, fs);
  assert.deepEqual(found.repositories, ["ok"]);
  assert.deepEqual(found.unreadable, [{ name: "locked", reason: "Permission denied: /w/locked" }]);
});

Deno.test("discoverRepositories() lets an unreadable root fail", async () => {
  const fs: DiscoveryFs = { readDir: () => Promise.reject(new Deno.errors.NotFound("gone")) };
  await assert.rejects(discoverRepositories("/w", 4, fs), Deno.errors.NotFound);
});

Deno.test("isSkipped() skips hidden and dependency folders only", () => {
  for (const name of [".git", ".venv", ".cache", ".idea", "node_modules", "target", "__pycache__"]) {
    assert.ok(isSkipped(name), name);
  }
  for (const name of ["src", "targets", "my.project", "builds"]) assert.ok(!isSkipped(name), name);
});

function dirEntry(name: string): DirEntry {
  return { name, isDirectory: true, isSymlink: false };
}
