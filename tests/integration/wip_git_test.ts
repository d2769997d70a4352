/**
 * The git side of work in progress on real repositories (two clones of one origin, no AWS): the restore
 * rules one by one, symlinks, an older base, a linked worktree's own index, and what save leaves alone.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { locateRepository, type RepoLocation } from "../../src/git/repo.ts";
import { applyRestore, planRestore, readSavedWip, restoreOntoBranch } from "../../src/wip/mod.ts";
import { buildSnapshot } from "../../src/wip/snapshot.ts";
import { pushSnapshot } from "../../src/wip/remote.ts";
import { wipRef } from "../../src/wip/refs.ts";
import { carry, OPTIONS, refused, REPO, safePlan, saved, setup } from "../helpers/wip_fixture.ts";

Deno.test("wip restore: a symlink and an executable bit arrive as they were", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.symlink("README.md", join(a.m.repoPath(REPO), "link"));
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "tool.sh"), "#!/bin/sh\n");
  await Deno.chmod(join(a.m.repoPath(REPO), "tool.sh"), 0o755);
  const commit = await carry(a, b);
  await applyRestore(b.runner, b.location, await safePlan(b, commit));
  assert.equal(await Deno.readLink(join(b.m.repoPath(REPO), "link")), "README.md");
  assert.equal((await Deno.stat(join(b.m.repoPath(REPO), "tool.sh"))).mode! & 0o111, 0o111);
  assert.equal(await b.m.git(REPO, "status", "--porcelain"), await a.m.git(REPO, "status", "--porcelain"));
});

Deno.test("wip restore: a base that is an older ancestor of HEAD is fine when HEAD left its paths alone", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  const commit = await carry(a, b);
  await b.m.commitFile(REPO, "other.txt", "b's own commit\n", "unrelated");
  await applyRestore(b.runner, b.location, await safePlan(b, commit));
  assert.equal(await Deno.readTextFile(join(b.m.repoPath(REPO), "README.md")), "# edited on a\n");
  assert.equal(await b.m.git(REPO, "diff", "--name-only"), "README.md", "unstaged, as it was saved");
  assert.equal(await b.m.git(REPO, "diff", "--cached", "--name-only"), "", "nothing staged");
});

Deno.test("wip restore: refused when HEAD changed the same path since the snapshot's base", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  const commit = await carry(a, b);
  await b.m.commitFile(REPO, "README.md", "# committed on b\n", "same file");
  refused(await planRestore(b.runner, b.location, commit), /commits since it was saved changed README\.md/);
});

Deno.test("wip restore: refused when the base is not in this clone's history", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await a.m.commitFile(REPO, "a.txt", "only on a\n", "a's commit");
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  const commit = await carry(a, b);
  refused(await planRestore(b.runner, b.location, commit), /does not contain \(pull first\)/);
});

Deno.test("wip restore: refused when an ignored or untracked file is where the snapshot puts one", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "build.log"), "a's log\n");
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "notes.md"), "a's notes\n");
  const commit = await carry(a, b);
  await Deno.writeTextFile(join(b.m.repoPath(REPO), ".git", "info", "exclude"), "build.log\n");
  await Deno.writeTextFile(join(b.m.repoPath(REPO), "build.log"), "b's ignored log\n");
  await Deno.writeTextFile(join(b.m.repoPath(REPO), "notes.md"), "b's notes\n");
  refused(await planRestore(b.runner, b.location, commit), /in the way: build\.log, notes\.md/);
  assert.equal(await Deno.readTextFile(join(b.m.repoPath(REPO), "build.log")), "b's ignored log\n");
});

Deno.test("wip restore: refused while an operation is in progress, then redirected onto a branch", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  const commit = await carry(a, b);
  await Deno.writeTextFile(join(b.location.gitDir, "MERGE_HEAD"), `${await b.m.head(REPO)}\n`);
  refused(await planRestore(b.runner, b.location, commit), /merge is in progress/);
  const head = await b.m.head(REPO);
  const index = await Deno.readFile(join(b.location.gitDir, "index"));
  const branch = await restoreOntoBranch(b.runner, b.location, commit, "wip/a/main");
  assert.equal(await b.m.head(REPO), head);
  assert.deepEqual(await Deno.readFile(join(b.location.gitDir, "index")), index);
  assert.equal(await b.m.git(REPO, "show", "wip/a/main:README.md"), "# edited on a");
  assert.equal(await b.m.git(REPO, "rev-parse", "wip/a/main^"), head);
  assert.equal(await b.m.git(REPO, "rev-parse", "wip/a/main"), branch);
});

Deno.test("wip save: a linked worktree saves its own index and files; the main one is not touched", async () => {
  const { ws, a } = await setup();
  await using _ = ws;
  const linked = join(ws.root, "linked");
  await a.m.git(REPO, "worktree", "add", "--quiet", "-b", "side", linked);
  await Deno.writeTextFile(join(linked, "side.txt"), "in the linked worktree\n");
  await a.m.git(REPO, "-C", linked, "add", "side.txt");
  const found = await locateRepository(a.runner, { name: REPO, path: linked, autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  const mainIndex = await Deno.readFile(join(a.location.gitDir, "index"));
  const snapshot = saved(await buildSnapshot(a.runner, found.location, OPTIONS));
  assert.equal(snapshot.branch, "side");
  assert.deepEqual(snapshot.paths, ["side.txt"]);
  assert.deepEqual(await Deno.readFile(join(a.location.gitDir, "index")), mainIndex);
  assert.equal(await a.m.git(REPO, "-C", linked, "status", "--porcelain"), "A  side.txt");
});

Deno.test("wip save: refused without a commit and with conflicts; nothing to save on a clean clone", async () => {
  const { ws, a } = await setup();
  await using _ = ws;
  assert.equal((await buildSnapshot(a.runner, a.location, OPTIONS)).kind, "nothing");
  const fresh = join(ws.root, "fresh");
  await Deno.mkdir(fresh);
  await a.m.git(REPO, "-C", fresh, "init", "--quiet");
  await Deno.writeTextFile(join(fresh, "x"), "x\n");
  const unborn: RepoLocation = {
    name: "fresh",
    path: fresh,
    gitDir: join(fresh, ".git"),
    commonDir: join(fresh, ".git"),
  };
  await assert.rejects(() => buildSnapshot(a.runner, unborn, OPTIONS), /has no commit yet/);
});

Deno.test("wip save: a big file is refused unless forced, and the record lists what was saved", async () => {
  const { ws, a } = await setup();
  await using _ = ws;
  await Deno.writeFile(join(a.m.repoPath(REPO), "big.bin"), new Uint8Array(2 * 1024 * 1024));
  const built = await buildSnapshot(a.runner, a.location, OPTIONS);
  assert.equal(built.kind, "refused");
  assert.match(JSON.stringify(built), /big\.bin.*over wip\.maxFileSizeMB \(1\)/);
  assert.deepEqual(await readSavedWip(a.runner, a.location, "a"), []);
  const snapshot = saved(await buildSnapshot(a.runner, a.location, { ...OPTIONS, force: true }));
  await pushSnapshot(a.runner, a.location, "origin", snapshot.commit, wipRef("a", snapshot.branch));
  const listed = await readSavedWip(a.runner, a.location, "a");
  assert.deepEqual(listed.map((w) => [w.branch, w.commit, w.base, w.files]), [[
    "main",
    snapshot.commit,
    snapshot.base,
    1,
  ]]);
  await a.m.git(REPO, "pack-refs", "--all");
  assert.equal((await readSavedWip(a.runner, a.location, "a")).length, 1, "a packed ref is found too");
});
