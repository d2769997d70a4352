/**
 * The daemon's own saving of work in progress: after the work stood unchanged for the idle time (judged by
 * its trees, so a second edit of an already modified file counts), never the same work twice, never with a
 * refused file; and at stop through the real daemon.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { logger } from "../../src/log/logger.ts";
import type { Config } from "../../src/config/types.ts";
import type { WipChange } from "../../src/wip/mod.ts";
import { WipAutoSave } from "../../src/daemon/wip_autosave.ts";
import { setup } from "../helpers/wip_fixture.ts";
import { fleet } from "../helpers/fleet.ts";

const MINUTE = 60_000;

async function saver() {
  const { ws, a } = await setup();
  const announced: WipChange[] = [];
  const config = {
    hostname: "a",
    wip: { maxFileSizeMB: 1, saveIdleMinutes: 1, saveOnStop: false },
  } as Config;
  const repo = { name: "repo1", path: a.location.path, autoPull: true as const };
  const save = new WipAutoSave({
    carry: {
      config,
      runner: a.runner,
      now: () => new Date(),
      announce: (change) => (announced.push(change), Promise.resolve({ published: true as const })),
    },
    log: logger("test"),
    idleMs: MINUTE,
    onStop: false,
    dirty: () => [{ repo, location: a.location }],
  });
  const remote = () => a.m.git("repo1", "ls-remote", "origin", "refs/gitargus/*");
  return { ws, a, save, announced, remote };
}

Deno.test("the daemon saves work once it stood unchanged for the idle time, and the same work only once", async () => {
  const { ws, a, save, announced, remote } = await saver();
  await using _ = ws;
  const file = join(a.m.repoPath("repo1"), "README.md");
  await Deno.writeTextFile(file, "# first edit\n");
  await save.tick(0);
  await save.tick(MINUTE - 1);
  assert.equal(await remote(), "", "not idle long enough yet");
  await save.tick(MINUTE);
  assert.equal(announced.length, 1);
  const first = await remote();
  assert.match(first, /refs\/gitargus\/wip\/a\/main/);
  await save.tick(5 * MINUTE);
  assert.equal(announced.length, 1, "the same work is not pushed again");

  // A second edit of the same file changes nothing git counts, but it is new work.
  await Deno.writeTextFile(file, "# second edit\n");
  await save.tick(6 * MINUTE);
  assert.equal(announced.length, 1, "the idle time starts again");
  await save.tick(7 * MINUTE);
  assert.equal(announced.length, 2);
  assert.notEqual(await remote(), first);
  assert.equal(await a.m.git("repo1", "status", "--porcelain"), "M README.md", "the worktree is as it was");
});

Deno.test("the daemon does not save work holding a file that looks like a secret", async () => {
  const { ws, a, save, announced, remote } = await saver();
  await using _ = ws;
  await Deno.writeTextFile(join(a.m.repoPath("repo1"), ".env"), "TOKEN=1\n");
  await save.tick(0);
  await save.tick(2 * MINUTE);
  await save.saveAll();
  assert.equal(announced.length, 0);
  assert.equal(await remote(), "");
});

Deno.test("with wip.saveOnStop a daemon stopped by SIGTERM saves the uncommitted work first", async () => {
  await using f = await fleet({
    machines: ["a"],
    repositories: ["repo1"],
    setupAws: true,
    config: () => ({ wip: { saveOnStop: true } }),
  });
  const a = f.machine("a");
  const daemon = await f.start("a", ["run", "--no-hooks"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);
  await Deno.writeTextFile(join(a.repoPath("repo1"), "draft.md"), "unfinished\n");
  // The daemon must have read the change before it stops: wait until its record says so.
  const started = performance.now();
  while (performance.now() - started < 15_000) {
    const status = JSON.parse((await f.ok("a", ["status", "--json"])).stdout);
    if (status.hosts[0]?.repositories[0]?.clean === false) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await daemon.stop("SIGTERM"), 0);
  assert.match(
    daemon.output(),
    /Saved the work in progress of repo1 \(1 file of main\) as the daemon stops/,
  );
  assert.match(
    await a.git("repo1", "ls-remote", "origin", "refs/gitargus/*"),
    /refs\/gitargus\/wip\/a\/main/,
  );
});
