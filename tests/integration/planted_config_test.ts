/**
 * No program named in a repository's own config runs under the daemon: each setting below is planted in a
 * real repository's .git/config, pointing at a script that writes a marker; the daemon's operations run
 * (locate, status, fetch, fast-forward, watch plan) and the marker must stay unwritten.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { RepoMonitor } from "../../src/daemon/monitor.ts";
import { systemClock } from "../../src/util/clock.ts";
import { watchPlan } from "../../src/daemon/watch_plan.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";

interface Planted {
  /** A script that appends `name` to the marker file; returns its path. */
  script(name: string, body?: string): Promise<string>;
  /** The names of the scripts that ran. */
  ran(): Promise<string[]>;
}

async function planter(root: string): Promise<Planted> {
  const dir = join(root, "planted");
  await Deno.mkdir(dir, { recursive: true });
  const marker = join(dir, "marker");
  return {
    async script(name, body = "") {
      const path = join(dir, `${name}.sh`);
      await Deno.writeTextFile(path, `#!/bin/sh\necho ${name} >> '${marker}'\n${body}`, { mode: 0o755 });
      return path;
    },
    async ran() {
      const text = await Deno.readTextFile(marker).catch(() => "");
      return [...new Set(text.split("\n").filter(Boolean))];
    },
  };
}

function monitorFor(machine: Machine, repo: string) {
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) });
  const monitor = new RepoMonitor({
    runner,
    store: new MemoryStore(),
    hostname: machine.name,
    clock: systemClock,
    log: logger("test"),
    fetchTimeoutMs: 15_000,
  }, [{ name: repo, path: machine.repoPath(repo), autoPull: true }]);
  return { runner, monitor };
}

/** Every step the daemon takes for a repository, in the order a push event drives them. */
async function runDaemonSteps(machine: Machine, repo: string) {
  const { runner, monitor } = monitorFor(machine, repo);
  const location = await monitor.locate(repo);
  assert.ok(location, "the repository is located");
  await monitor.refresh(repo);
  const fetched = await monitor.fetch(repo);
  const sync = await monitor.fastForward(repo);
  await monitor.refresh(repo);
  await watchPlan(runner, location);
  return { fetched, sync, status: monitor.status(repo) };
}

Deno.test("no program planted in .git/config runs while the daemon fetches and fast-forwards", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "c"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const c = ws.machine("c");
  const planted = await planter(ws.root);
  const set = (key: string, value: string) => a.git("repo1", "config", key, value);

  await set("core.fsmonitor", await planted.script("core.fsmonitor"));
  await set("core.pager", await planted.script("core.pager"));
  await set("pager.status", await planted.script("pager.status"));
  await set("core.editor", await planted.script("core.editor"));
  await set("sequence.editor", await planted.script("sequence.editor"));
  await set("core.askPass", await planted.script("core.askPass"));
  await set("credential.helper", `!${await planted.script("credential.helper")}`);
  await set("remote.origin.uploadpack", await planted.script("remote.origin.uploadpack"));
  await set("core.alternateRefsCommand", await planted.script("core.alternateRefsCommand"));
  await set("gpg.program", await planted.script("gpg.program"));
  await set("merge.verifySignatures", "true");
  await set("diff.external", await planted.script("diff.external"));
  await set("diff.planted.textconv", await planted.script("diff.textconv"));
  await set("merge.planted.driver", await planted.script("merge.driver"));
  await set("core.hooksPath", join(ws.root, "planted-hooks"));
  await Deno.mkdir(join(ws.root, "planted-hooks"));
  for (const hook of ["post-merge", "post-checkout", "reference-transaction", "pre-auto-gc"]) {
    await Deno.rename(await planted.script(`hook.${hook}`), join(ws.root, "planted-hooks", hook));
  }
  const gitDir = join(a.repoPath("repo1"), ".git");
  await Deno.writeTextFile(join(gitDir, "info", "attributes"), "* diff=planted merge=planted\n");
  await Deno.writeTextFile(
    join(gitDir, "objects", "info", "alternates"),
    `${ws.originPath("repo1")}/objects\n`,
  );
  // Something to fetch, and a tracked file changed under it, so checkout and diff machinery both run.
  const pushed = await c.commitFile("repo1", "README.md", "changed upstream\n", "upstream change");
  await c.push("repo1");
  await Deno.writeTextFile(join(a.repoPath("repo1"), "untracked.txt"), "local\n");

  const { fetched, sync, status } = await runDaemonSteps(a, "repo1");
  assert.deepEqual(await planted.ran(), []);
  assert.equal(fetched?.ok, true, fetched?.error);
  assert.equal(sync?.result, "fast-forwarded", sync?.reason);
  assert.equal(await a.head("repo1"), pushed);
  assert.equal(status?.state, "UP_TO_DATE");
});

Deno.test("no transport program planted in .git/config runs: ssh command, git proxy, ext::", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const planted = await planter(ws.root);
  const remotes: Record<string, string> = {
    viassh: "ssh://127.0.0.1:1/x.git",
    viaproxy: "git://127.0.0.1:1/x.git",
    viaext: `ext::${await planted.script("ext-url")} %S`,
  };
  for (const [name, url] of Object.entries(remotes)) {
    await a.git("repo1", "remote", "add", name, url);
    await a.git("repo1", "branch", `track-${name}`);
    await a.git("repo1", "config", `branch.track-${name}.remote`, name);
    await a.git("repo1", "config", `branch.track-${name}.merge`, "refs/heads/main");
  }
  await a.git("repo1", "config", "core.sshCommand", await planted.script("core.sshCommand"));
  await a.git("repo1", "config", "core.gitProxy", await planted.script("core.gitProxy"));
  await a.git("repo1", "config", "protocol.ext.allow", "always");
  await a.git("repo1", "config", "protocol.allow", "always");

  const { fetched } = await runDaemonSteps(a, "repo1");
  assert.deepEqual(await planted.ran(), []);
  assert.equal(fetched?.ok, false, "the unreachable remotes fail");
});

Deno.test("a credential helper from .git/config never runs, the user's global one still does", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const planted = await planter(ws.root);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="private"' } }),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/private.git`;
    await a.git("repo1", "remote", "set-url", "origin", url);
    await a.git("repo1", "config", "credential.helper", `!${await planted.script("local-helper")}`);
    const scoped = `credential.http://127.0.0.1:${server.addr.port}.helper`;
    await a.git("repo1", "config", scoped, `!${await planted.script("local-url-helper")}`);
    const global = await planted.script(
      "global-helper",
      'if [ "$1" = get ]; then echo username=me; echo password=pw; fi\n',
    );
    await Deno.writeTextFile(join(a.home, ".gitconfig"), `[credential]\n\thelper = !${global}\n`, {
      append: true,
    });

    const { fetched } = await runDaemonSteps(a, "repo1");
    assert.equal(fetched?.ok, false, "the server refuses every password");
    assert.deepEqual(await planted.ran(), ["global-helper"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a filter driver the user configured runs on checkout, since a correct checkout needs it", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "c"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const c = ws.machine("c");
  const planted = await planter(ws.root);
  await a.git("repo1", "config", "filter.planted.smudge", await planted.script("smudge", "cat\n"));
  await a.git("repo1", "config", "filter.planted.clean", "cat");
  await Deno.writeTextFile(join(a.repoPath("repo1"), ".git", "info", "attributes"), "*.dat filter=planted\n");
  await c.commitFile("repo1", "data.dat", "payload\n", "data");
  await c.push("repo1");

  const { sync } = await runDaemonSteps(a, "repo1");
  assert.equal(sync?.result, "fast-forwarded", sync?.reason);
  assert.equal(await Deno.readTextFile(join(a.repoPath("repo1"), "data.dat")), "payload\n");
  assert.deepEqual(await planted.ran(), ["smudge"]);
});
