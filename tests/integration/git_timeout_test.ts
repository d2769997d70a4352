/**
 * A git killed at its timeout leaves nothing behind: its ssh and whatever that started go with it, both with
 * full permissions and under the program's own (`--allow-run=git,...`), where Deno may not signal a group.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { runCli, waitFor } from "../helpers/cli.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { GitError } from "../../src/errors.ts";

/** Processes whose command line carries `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (cmdline.includes(marker)) found.push(Number(entry.name));
  }
  return found;
}

/** A clone whose "ssh" starts a child that sleeps, then sleeps itself: a transport that never answers. */
async function hangingRemote(machine: Machine, root: string) {
  const marker = `gitargus-hang-${crypto.randomUUID()}`;
  const ssh = join(root, "hanging-ssh");
  await Deno.writeTextFile(
    ssh,
    `#!/bin/sh\nsh -c 'sleep 120; : ${marker}-child' &\nexec sh -c 'sleep 120; : ${marker}-ssh'\n`,
    { mode: 0o755 },
  );
  await machine.git("repo1", "remote", "set-url", "origin", "ssh://example.invalid/repo1.git");
  const env: Record<string, string> = { ...machine.env, GIT_SSH_COMMAND: ssh };
  return { marker, env };
}

/** Waits until no process carries the marker (a killed one leaves /proc once reaped); kills leftovers. */
async function assertNoneLeft(marker: string): Promise<void> {
  let left = await processesWith(marker);
  for (let round = 0; left.length > 0 && round < 50; round++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await processesWith(marker);
  }
  for (const pid of left) Deno.kill(pid, "SIGKILL");
  assert.deepEqual(left, [], "processes of the killed fetch remain");
}

Deno.test({
  name: "a fetch whose transport hangs is killed at the timeout with every process it started",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
    const a = ws.machine("a");
    const { marker, env } = await hangingRemote(a, ws.root);
    const runner = new DenoGitRunner({ env: gitEnvironment((name) => env[name]) });
    const fetching = runner.run(["fetch", "--quiet", "origin"], {
      cwd: a.repoPath("repo1"),
      timeoutMs: 1500,
    });
    try {
      await waitFor(
        "the hanging transport and its child",
        async () => (await processesWith(marker)).length === 2,
      );
      const error = await fetching.then(() => null, (e) => e);
      assert.ok(error instanceof GitError && error.timedOut, `a timeout, not ${error}`);
    } finally {
      await fetching.catch(() => {});
      await assertNoneLeft(marker);
    }
  },
});

Deno.test({
  name: "under the program's own permissions a hung fetch is killed with every process it started too",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
    const a = ws.machine("a");
    const { marker, env } = await hangingRemote(a, ws.root);
    const entry = join(ws.root, "fetch_once.ts");
    const runnerModule = new URL("../../src/git/runner.ts", import.meta.url).href;
    await Deno.writeTextFile(
      entry,
      `import { DenoGitRunner, gitEnvironment } from "${runnerModule}";
const runner = new DenoGitRunner({ env: gitEnvironment((name) => Deno.env.get(name)) });
await runner.run(["fetch", "--quiet", "origin"], { cwd: Deno.args[0]!, timeoutMs: 1500 }).then(
  () => console.log("fetched"),
  (error) => console.log(error.timedOut ? "timed out" : error.message),
);
`,
    );
    try {
      const result = await runCli([a.repoPath("repo1")], { env, entry, timeoutMs: 20_000 });
      assert.equal(result.stdout.trim(), "timed out", result.stderr);
    } finally {
      await assertNoneLeft(marker);
    }
  },
});
