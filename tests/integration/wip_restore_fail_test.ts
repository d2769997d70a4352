/**
 * A restore that git stops halfway (a required checkout filter that fails) leaves the clone as it was: the
 * paths it had touched go back to HEAD's, nothing stays staged, and the error says both in one line.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { applyRestore } from "../../src/wip/mod.ts";
import { carry, REPO, safePlan, setup } from "../helpers/wip_fixture.ts";

Deno.test("wip restore: a checkout filter failing halfway puts every touched path back as HEAD has it", async () => {
  const { ws, a, b } = await setup();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "README.md"), "# edited on a\n");
  await Deno.writeTextFile(join(a.m.repoPath(REPO), "z.dat"), "data\n");
  const commit = await carry(a, b);
  await b.m.git(REPO, "config", "filter.boom.smudge", "false");
  await b.m.git(REPO, "config", "filter.boom.required", "true");
  await Deno.writeTextFile(join(b.location.gitDir, "info", "attributes"), "*.dat filter=boom\n");
  const plan = await safePlan(b, commit);
  const error = await applyRestore(b.runner, b.location, plan).then(() => null, (e: Error) => e);
  assert.ok(error, "the restore must fail");
  assert.match(error.message, /^restoring into repo1 failed: .*; its paths are back as HEAD has them$/);
  assert.equal(error.message.split("\n").length, 1);
  assert.equal(await b.m.git(REPO, "status", "--porcelain", "--untracked-files=all"), "");
  assert.equal(await Deno.readTextFile(join(b.m.repoPath(REPO), "README.md")), "# repo1\n");
  assert.equal(await Deno.stat(join(b.m.repoPath(REPO), "z.dat")).then(() => true, () => false), false);
  assert.equal(await b.m.git(REPO, "diff", "--cached", "--name-only"), "", "nothing staged");
});
