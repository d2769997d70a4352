import assert from "node:assert/strict";
import { remoteTrackingRefs } from "./ref_files.ts";
import { gitWorkspace, type Machine } from "../../tests/helpers/git_fixture.ts";

const REPO = "repo1";

/** A clone whose origin has `main`, `feature/deep/x` and `other`, with `origin/HEAD` set. */
async function cloned() {
  const ws = await gitWorkspace({ machines: ["b"], repositories: [REPO] });
  const b = ws.machine("b");
  await b.commitFile(REPO, "one.txt", "1\n", "one");
  await b.push(REPO, "-q", "origin", "HEAD:main", "HEAD:refs/heads/feature/deep/x");
  await b.commitFile(REPO, "two.txt", "2\n", "two");
  await b.push(REPO, "-q", "origin", "HEAD:other");
  await b.git(REPO, "remote", "set-head", "origin", "main");
  return { ws, b, work: b.repoPath(REPO), [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

/** What git itself lists, without the symbolic `origin/HEAD`. */
async function fromGit(b: Machine): Promise<Map<string, string>> {
  const out = await b.git(REPO, "for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes/origin/");
  const lines = out.split("\n").filter((line) => line && !line.startsWith("refs/remotes/origin/HEAD "));
  return new Map(lines.map((line) => line.split(" ") as [string, string]));
}

Deno.test("remoteTrackingRefs() reads what git reads, loose, packed, and loose over packed", async () => {
  await using fx = await cloned();
  const loose = await remoteTrackingRefs(fx.work, "origin");
  assert.deepEqual(loose, await fromGit(fx.b));
  assert.ok(loose?.has("refs/remotes/origin/feature/deep/x"));
  await fx.b.git(REPO, "pack-refs", "--all");
  assert.deepEqual(await remoteTrackingRefs(fx.work, "origin"), await fromGit(fx.b));
  // A push after packing writes a loose ref that wins over the packed line of the same name.
  const three = await fx.b.commitFile(REPO, "three.txt", "3\n", "three");
  await fx.b.push(REPO, "-q", "origin", "HEAD:main");
  const after = await remoteTrackingRefs(fx.work, "origin");
  assert.deepEqual(after, await fromGit(fx.b));
  assert.equal(after?.get("refs/remotes/origin/main"), three);
  assert.deepEqual(await remoteTrackingRefs(fx.work, "nosuchremote"), new Map());
});

Deno.test("remoteTrackingRefs() leaves layouts it does not read to git: a linked worktree, reftable", async () => {
  await using fx = await cloned();
  const linked = `${fx.ws.root}/linked`;
  await fx.b.git(REPO, "worktree", "add", "-q", linked, "-b", "side");
  assert.equal(await remoteTrackingRefs(linked, "origin"), null);
  assert.equal(await remoteTrackingRefs(`${fx.ws.root}/nothing-here`, "origin"), null);
  await Deno.mkdir(`${fx.work}/.git/reftable`);
  assert.equal(await remoteTrackingRefs(fx.work, "origin"), null);
});
