/** The git runner tells its observer about every git process it started: argv, folder, duration, exit code. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DenoGitRunner, gitEnvironment, type GitRun } from "../../src/git/runner.ts";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { GitError } from "../../src/errors.ts";

Deno.test("DenoGitRunner reports each git process to its observer, failed and killed ones too", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const repo = a.repoPath("repo1");
  // A transport that never answers: the fetch is killed at its timeout.
  const ssh = join(ws.root, "silent-ssh");
  await Deno.writeTextFile(ssh, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
  await a.git("repo1", "remote", "set-url", "origin", "ssh://example.invalid/repo1.git");
  const runs: GitRun[] = [];
  const runner = new DenoGitRunner({
    env: gitEnvironment((name) => ({ ...a.env, GIT_SSH_COMMAND: ssh })[name]),
    observe: (run) => runs.push(run),
  });

  await runner.run(["rev-parse", "HEAD"], { cwd: repo });
  await runner.run(["rev-parse", "--verify", "no-such-ref"], { cwd: repo, allowFailure: true });
  await assert.rejects(() => runner.run(["cat-file", "-p", "no-such-ref"], { cwd: repo }), GitError);
  await assert.rejects(
    () => runner.run(["fetch", "origin"], { cwd: repo, timeoutMs: 300 }),
    (error: GitError) => error.timedOut,
  );

  const commands = ["rev-parse", "cat-file", "fetch"];
  const seen = runs
    .map((run) => ({ command: run.argv.find((arg) => commands.includes(arg)), code: run.code }))
    .filter((run) => run.command !== undefined);
  assert.deepEqual(seen, [
    { command: "rev-parse", code: 0 },
    { command: "rev-parse", code: 128 },
    { command: "cat-file", code: 128 },
    { command: "fetch", code: null },
  ]);
  for (const run of runs) {
    assert.equal(run.cwd, repo);
    assert.ok(run.ms >= 0, `a duration for ${run.argv.join(" ")}`);
    assert.ok(!run.argv.includes("--no-optional-locks"), "the safety options are left out");
  }
  const fetch = runs.find((run) => run.argv.includes("fetch"))!;
  assert.ok(fetch.ms >= 300, `the killed fetch ran until its timeout, not ${fetch.ms} ms`);
});
