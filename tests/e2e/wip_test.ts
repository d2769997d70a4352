/**
 * Work in progress carried between two machines through the real CLI, the emulators and a real remote:
 * saved on a (its worktree, index and stash untouched), seen by b in `status` and `wip list`, shown,
 * restored as it was (staged stays staged, untracked stays untracked), refused and redirected when b has its
 * own change in the way, and dropped, which a's daemon learns from the event.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";
import type { Machine } from "../helpers/git_fixture.ts";
import { makeWork } from "../helpers/wip_fixture.ts";

const REPO = "project/api";

/** What a user would compare: git's own view of the worktree and index, and each file's bytes. */
async function workOf(m: Machine): Promise<{ status: string; files: Record<string, string> }> {
  const status = await m.git(REPO, "status", "--porcelain=v1", "--untracked-files=all");
  const files: Record<string, string> = {};
  for (const name of ["staged.txt", "README.md", "notes.md", "new.txt", "logo.bin", "run.sh"]) {
    const bytes = await Deno.readFile(join(m.repoPath(REPO), name)).catch(() => null);
    const mode = bytes ? (await Deno.stat(join(m.repoPath(REPO), name))).mode! & 0o111 : 0;
    files[name] = bytes ? `${Array.from(bytes).join(",")} x${mode ? 1 : 0}` : "absent";
  }
  files["gone.txt"] = await Deno.stat(join(m.repoPath(REPO), "gone.txt")).then(
    () => "present",
    () => "absent",
  );
  return { status, files };
}

/** The bytes of the index file, the stash list and the refs outside refs/gitargus/: nothing of these moves. */
async function untouched(m: Machine): Promise<string> {
  const index = await Deno.readFile(join(m.repoPath(REPO), ".git", "index"));
  const refs = await m.git(REPO, "for-each-ref", "--format=%(refname) %(objectname)");
  const kept = refs.split("\n").filter((line) => !line.startsWith("refs/gitargus/")).join("\n");
  return [Array.from(index).join(","), await m.git(REPO, "stash", "list"), kept].join("\n--\n");
}

async function twoMachines(): Promise<Fleet> {
  return await fleet({ machines: ["a", "b"], repositories: [REPO], setupAws: true });
}

Deno.test("wip: a's uncommitted work reaches b exactly as it was, and a's repository is left as it was", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  const b = f.machine("b");
  await makeWork(a, REPO);
  await a.git(REPO, "stash", "push", "--quiet", "--", "staged.txt");
  await Deno.writeTextFile(join(a.repoPath(REPO), "staged.txt"), "staged\n");
  await a.git(REPO, "add", "staged.txt");
  const before = await untouched(a);
  const work = await workOf(a);

  const saved = await f.ok("a", ["wip", "save", REPO]);
  assert.match(saved.stdout, /project\/api/);
  assert.equal(await untouched(a), before, "a's index, stash and refs are byte-identical");
  assert.deepEqual(await workOf(a), work, "a's worktree is as it was");

  // a's record says so once its daemon has read it; b sees it in status and in wip list.
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  const status = await statusJson(f, "b");
  const wip = repoOf(status, "a", REPO)?.wip as Array<{ branch: string; files: number }> | undefined;
  assert.equal(wip?.[0]?.branch, "main");
  assert.ok((wip?.[0]?.files ?? 0) >= 7, `files counted: ${JSON.stringify(wip)}`);
  const table = await f.ok("b", ["status"]);
  assert.match(table.stdout, /gitargus wip restore a project\/api/);
  const listed = await f.ok("b", ["wip", "list"]);
  assert.match(listed.stdout, /a\s+project\/api\s+main/);

  const shown = await f.ok("b", ["wip", "show", "a", REPO]);
  assert.match(shown.stdout, /staged\.txt/);
  assert.match(shown.stdout, /\+# edited, not staged/);

  await b.git(REPO, "pull", "--quiet", "--ff-only");
  const restored = await f.ok("b", ["wip", "restore", "a", REPO]);
  assert.match(restored.stdout, /restored/i);
  assert.deepEqual(await workOf(b), work, "b has a's work, staged and unstaged as a had it");
  assert.equal(await b.git(REPO, "log", "-1", "--format=%s"), await a.git(REPO, "log", "-1", "--format=%s"));
});

Deno.test("wip: restore refuses when b's own change is in the way, and --new-branch touches nothing else", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  const b = f.machine("b");
  await Deno.writeTextFile(join(a.repoPath(REPO), "README.md"), "# a's version\n");
  await f.ok("a", ["wip", "save", REPO]);
  await Deno.writeTextFile(join(b.repoPath(REPO), "README.md"), "# b's own version\n");
  const before = await untouched(b);

  const refused = await f.cli("b", ["wip", "restore", "a", REPO]);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stdout + refused.stderr, /README\.md/);
  assert.match(refused.stdout + refused.stderr, /--new-branch/);
  assert.equal(await Deno.readTextFile(join(b.repoPath(REPO), "README.md")), "# b's own version\n");

  const redirected = await f.ok("b", ["wip", "restore", "a", REPO, "--new-branch"]);
  assert.match(redirected.stdout, /wip\/a\/main/);
  assert.equal(await Deno.readTextFile(join(b.repoPath(REPO), "README.md")), "# b's own version\n");
  assert.equal(await b.git(REPO, "rev-parse", "--abbrev-ref", "HEAD"), "main");
  assert.equal(await b.git(REPO, "show", "wip/a/main:README.md"), "# a's version");
  const after = (await untouched(b)).split("\n--\n");
  const was = before.split("\n--\n");
  assert.equal(after[0], was[0], "b's index is byte-identical");
  assert.equal(after[1], was[1], "b's stash list is unchanged");
  assert.deepEqual(
    after[2]!.split("\n").filter((r) => !r.startsWith("refs/heads/wip/")),
    was[2]!.split("\n"),
    "only the new branch was added",
  );
});

Deno.test("wip: files that look like secrets are refused unless --force; nothing to save says so", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  const nothing = await f.cli("a", ["wip", "save", REPO]);
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.match(nothing.stdout, /nothing to save/i);
  await Deno.writeTextFile(join(a.repoPath(REPO), ".env"), "TOKEN=secret\n");
  const refused = await f.cli("a", ["wip", "save", REPO]);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stdout + refused.stderr, /\.env/);
  assert.match(refused.stdout + refused.stderr, /--force/);
  assert.equal(await a.git(REPO, "ls-remote", "origin", "refs/gitargus/*"), "", "nothing was pushed");
  await f.ok("a", ["wip", "save", REPO, "--force"]);
  assert.match(await a.git(REPO, "ls-remote", "origin", "refs/gitargus/*"), /refs\/gitargus\/wip\/a\/main/);
});

Deno.test("wip: a drop on b removes the snapshot from the remote, and a's running daemon stops offering it", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  const daemonA = await f.start("a", ["run", "--no-hooks"]);
  await daemonA.waitForLine(/Watching 1 repositories/, 30_000);
  const daemonB = await f.start("b", ["run", "--no-hooks"]);
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);
  await Deno.writeTextFile(join(a.repoPath(REPO), "draft.md"), "draft\n");
  await f.ok("a", ["wip", "save", REPO]);
  await daemonB.waitForLine(/a saved work in progress of project\/api/, 20_000);
  await waitFor("a's record offering the snapshot", async () => {
    const wip = repoOf(await statusJson(f, "b"), "a", REPO)?.wip as unknown[] | undefined;
    return wip?.length === 1 || undefined;
  });

  const dropped = await f.ok("b", ["wip", "drop", "a", REPO]);
  assert.match(dropped.stdout, /dropped/i);
  assert.equal(await a.git(REPO, "ls-remote", "origin", "refs/gitargus/*"), "");
  await waitFor("a's record without the snapshot", async () => {
    const repo = repoOf(await statusJson(f, "b"), "a", REPO);
    return (repo && (repo.wip as unknown[] | undefined)?.length === undefined) || undefined;
  });
  assert.equal(await a.git(REPO, "for-each-ref", "refs/gitargus/"), "", "a's local copy went too");
  assert.equal(
    await Deno.readTextFile(join(a.repoPath(REPO), "draft.md")),
    "draft\n",
    "a's work is untouched",
  );
});

Deno.test("wip: save in a linked worktree saves that worktree's work, under its own branch", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  const linked = join(f.ws.root, "api-side");
  await a.git(REPO, "worktree", "add", "--quiet", "-b", "side", linked);
  await Deno.writeTextFile(join(linked, "side.md"), "made in the linked worktree\n");
  const saved = await f.ok("a", ["wip", "save"], { cwd: join(linked) });
  assert.match(saved.stdout, /Saved project\/api: 1 file of side/);
  assert.match(await a.git(REPO, "ls-remote", "origin", "refs/gitargus/*"), /refs\/gitargus\/wip\/a\/side$/);
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  const wip = repoOf(await statusJson(f, "b"), "a", REPO)?.wip as Array<{ branch: string }> | undefined;
  assert.deepEqual(wip?.map((w) => w.branch), ["side"]);
});
