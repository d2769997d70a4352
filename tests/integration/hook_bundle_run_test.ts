/**
 * The pre-push hook run from its bundle (src/hook_bundle.ts), as the installed script runs it from source,
 * down the paths that load modules from source on demand: a config read for the first time, and a push that
 * can be neither handed over nor published, whose warning must still reach the log file.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { runCli } from "../helpers/cli.ts";
import { BUNDLE_FILE } from "../../src/hook_bundle.ts";
import { projectDir } from "../../src/self.ts";

const BUNDLE = join(projectDir(), BUNDLE_FILE);
const UNREACHABLE = { region: "eu-central-1", endpoint: "http://127.0.0.1:9" };
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };

async function machine() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  await a.writeConfig({ repositories: ["repo1"], aws: UNREACHABLE });
  const sha = await a.git("repo1", "rev-parse", "HEAD");
  const input = `refs/heads/main ${sha} refs/heads/main ${"0".repeat(40)}\n`;
  return { ws, a, input, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

async function outboxEntries(home: string): Promise<string[]> {
  const dir = join(home, ".gitargus", "outbox");
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".json")) texts.push(await Deno.readTextFile(join(dir, entry.name)));
  }
  return texts;
}

Deno.test("the hook's bundle reads a config it has no cached copy of and leaves the push in the outbox", async () => {
  await using fx = await machine();
  const result = await runCli(["hook", "pre-push", "origin"], {
    entry: BUNDLE,
    env: { ...fx.a.env, ...CREDENTIALS, GITARGUS_PUSHER: String(Deno.pid) },
    cwd: fx.a.repoPath("repo1"),
    stdin: fx.input,
  });
  // 3: no daemon relays it, so the script is asked to start the one-shot publisher.
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stderr, "");
  const entries = await outboxEntries(fx.a.home);
  assert.equal(entries.length, 1);
  assert.match(entries[0]!, /"repository":\s*"repo1"/);
  assert.ok(await Deno.stat(join(fx.a.home, ".gitargus", "cache", "config.json")));
});

Deno.test("a push the hook's bundle cannot announce is said in one line and written to the log", async () => {
  await using fx = await machine();
  // No pushing git named (an older hook script): the hook publishes itself, and AWS does not answer.
  const result = await runCli(["hook", "pre-push", "origin"], {
    entry: BUNDLE,
    env: { ...fx.a.env, ...CREDENTIALS, NO_COLOR: "1" },
    cwd: fx.a.repoPath("repo1"),
    stdin: fx.input,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^gitargus: push not announced yet \(.+\); the daemon will send it when AWS answers\n$/,
  );
  assert.equal((await outboxEntries(fx.a.home)).length, 1);
  const log = await Deno.readTextFile(join(fx.a.home, ".gitargus", "gitargus.log"));
  assert.match(log, /Push of repo1 not announced/);
});

Deno.test("the hook's bundle refuses any other command line in one line", async () => {
  await using fx = await machine();
  for (
    const args of [["status"], ["hook", "publish"], ["hook", "pre-push"], ["hook", "pre-push", "--force"]]
  ) {
    const result = await runCli(args, { entry: BUNDLE, env: fx.a.env, cwd: fx.a.workspace });
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, /^gitargus: this entry point runs `gitargus \[--config FILE\] hook pre-push/);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1);
  }
});
