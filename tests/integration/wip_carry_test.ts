/**
 * Every kind of uncommitted work carried from one clone to another by the git side alone: the saver's
 * repository left byte for byte as it was (nothing but objects written), the restoring clone left with the
 * same `status --porcelain=v2` and the same bytes and modes, and the listing `wip show` prints.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Machine } from "../helpers/git_fixture.ts";
import { applyRestore, describeSnapshot, planRestore, restoreOntoBranch } from "../../src/wip/mod.ts";
import { buildSnapshot } from "../../src/wip/snapshot.ts";
import { carry, makeWork, OPTIONS, refused, REPO, safePlan, setup } from "../helpers/wip_fixture.ts";

const FILES = ["staged.txt", "README.md", "notes.md", "new.txt", "old.txt", "gone.txt", "logo.bin", "run.sh"];

/** git's own view of worktree and index, and each file's bytes and executable bit. */
async function workOf(m: Machine): Promise<string> {
  // Without optional locks, so that looking does not rewrite the index whose bytes are compared.
  const lines = [
    await m.git(REPO, "--no-optional-locks", "status", "--porcelain=v2", "--untracked-files=all"),
  ];
  for (const name of FILES) {
    const file = join(m.repoPath(REPO), name);
    const bytes = await Deno.readFile(file).catch(() => null);
    const mode = bytes ? (await Deno.stat(file)).mode! & 0o111 : 0;
    lines.push(`${name}: ${bytes ? `${Array.from(bytes).join(",")} x${mode ? 1 : 0}` : "absent"}`);
  }
  lines.push(`link -> ${await Deno.readLink(join(m.repoPath(REPO), "link")).catch(() => "absent")}`);
  lines.push(
    `docs/: ${await Deno.stat(join(m.repoPath(REPO), "docs")).then(() => "present", () => "absent")}`,
  );
  return lines.join("\n");
}

/** The index file's bytes, the stash, the refs outside refs/gitargus/ and every git-dir file but objects. */
async function untouched(m: Machine): Promise<string> {
  const gitDir = join(m.repoPath(REPO), ".git");
  const index = await Deno.readFile(join(gitDir, "index"));
  const refs = (await m.git(REPO, "for-each-ref", "--format=%(refname) %(objectname)")).split("\n")
    .filter((line) => !line.startsWith("refs/gitargus/"));
  const files: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (path === "objects" || path.startsWith("refs/gitargus") || path.startsWith("logs/refs/gitargus")) {
        continue;
      }
      if (entry.isDirectory) await walk(join(dir, entry.name), path);
      else files.push(`${path} ${(await Deno.stat(join(dir, entry.name))).mtime?.getTime()}`);
    }
  };
  await walk(gitDir, "");
  return [Array.from(index).join(","), await m.git(REPO, "stash", "list"), ...refs, ...files.sort()].join(
    "\n",
  );
}

Deno.test("wip: every kind of change reaches the other clone as it was, and the saver keeps all of it", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await makeWork(a.m, REPO);
  await a.m.git(REPO, "stash", "push", "--quiet", "--", "README.md");
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited, not staged\n");
  const before = await untouched(a.m);
  const work = await workOf(a.m);

  const commit = await carry(a, b);
  assert.equal(await untouched(a.m), before, "index, stash, refs and git-dir files as they were");
  assert.equal(await workOf(a.m), work, "a's worktree as it was");

  const files = await describeSnapshot(b.runner, b.location, commit);
  const listed = files.map((f) => `${f.where} ${f.change}${f.binary ? " binary" : ""} ${f.path}`).sort();
  assert.deepEqual(listed, [
    "staged added staged.txt",
    "staged deleted gone.txt",
    "staged renamed new.txt",
    "unstaged deleted docs/only.md",
    "unstaged mode run.sh",
    "unstaged modified README.md",
    "unstaged modified staged.txt",
    "untracked added binary logo.bin",
    "untracked added link",
    "untracked added notes.md",
  ]);

  await b.m.git(REPO, "pull", "--quiet", "--ff-only");
  await applyRestore(b.runner, b.location, await safePlan(b, commit));
  assert.equal(await workOf(b.m), work, "b's status, bytes and modes are a's");
  assert.equal(await b.m.head(REPO), await a.m.head(REPO), "nothing committed");
});

Deno.test("wip restore: refused when an ignored file is where the snapshot needs a folder", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.mkdir(join(a.m.repoPath(REPO), "out"));
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "out", "report.txt"), "a's report\n");
  const commit = await carry(a, b);
  await Deno.writeTextFile(join(b.location.gitDir, "info", "exclude"), "out\n");
  await Deno.writeTextFile(join(b.m.repoPath(REPO), "out"), "b's ignored file\n");
  refused(await planRestore(b.runner, b.location, commit), /in the way: out$/);
  assert.equal(await Deno.readTextFile(join(b.m.repoPath(REPO), "out")), "b's ignored file\n");
});

Deno.test("wip restore onto a branch: the same snapshot twice makes the same branch; another is refused", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  const commit = await carry(a, b);
  const first = await restoreOntoBranch(b.runner, b.location, commit, "wip/a/main");
  assert.equal(await restoreOntoBranch(b.runner, b.location, commit, "wip/a/main"), first);
  assert.equal(await b.m.git(REPO, "log", "-1", "--format=%an <%ae>", "wip/a/main"), "a <a@example.test>");
  await b.m.git(REPO, "branch", "wip/a/other");
  await assert.rejects(
    () => restoreOntoBranch(b.runner, b.location, commit, "wip/a/other"),
    /already exists in repo1 and points elsewhere/,
  );
  assert.equal(await b.m.git(REPO, "status", "--porcelain"), "", "b's worktree and index untouched");
});

Deno.test("wip save: a staged secret deleted from the worktree is refused too; no user.email is fine", async () => {
  const { ws, a } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), ".env"), "TOKEN=1\n");
  await a.m.git(REPO, "add", ".env");
  await Deno.remove(join(a.m.repoPath(REPO), ".env"));
  const built = await buildSnapshot(a.runner, a.location, OPTIONS);
  assert.equal(built.kind, "refused");
  assert.match(JSON.stringify(built), /"\.env".*secret/);
  await Deno.writeTextFile(join(a.m.home, ".gitconfig"), "[init]\n\tdefaultBranch = main\n");
  const forced = await buildSnapshot(a.runner, a.location, { ...OPTIONS, force: true });
  assert.equal(forced.kind, "saved");
  const sha = (forced as Extract<typeof forced, { kind: "saved" }>).snapshot.commit;
  assert.equal(await a.m.git(REPO, "log", "-1", "--format=%an <%ae>", sha), "gitargus <gitargus@localhost>");
});
