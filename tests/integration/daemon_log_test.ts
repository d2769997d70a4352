/**
 * The daemon as a service, through the real CLI: its log file holds every line it printed, at once and after
 * a SIGKILL; `--verbose` shows each git process and AWS call with how long it took and how it ended; and
 * `run --once` tells a script by its exit code that a repository is FAILED.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";
import { logFilePath } from "../../src/config/paths.ts";

async function readLog(home: string): Promise<string> {
  try {
    return await Deno.readTextFile(logFilePath(home));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

Deno.test("every line the daemon prints is in its log file within a second, and still there after a SIGKILL", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1", "repo2"], setupAws: true });
  const home = f.machine("a").home;
  // Verbose: many lines, so a buffering file would hold some back.
  const daemon = await f.start("a", ["--verbose", "run", "--no-hooks"]);
  const watching = await daemon.waitForLine(/Watching 2 repositories/, 30_000);
  await waitFor(
    "the Watching line in the log file",
    async () => (await readLog(home)).includes(watching),
    1_000,
  );

  assert.equal(await daemon.stop("SIGKILL"), 137);
  const printed = daemon.output().split("\n").filter((line) => line.length > 0);
  assert.ok(printed.length > 20, `only ${printed.length} lines printed`);
  const inFile = new Set((await readLog(home)).split("\n"));
  const lost = printed.filter((line) => !inFile.has(line));
  assert.deepEqual(lost, [], `${lost.length} of ${printed.length} printed lines are not in the log file`);
});

Deno.test("with --verbose the daemon logs each git command and each AWS call with duration and outcome", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  const repo = f.machine("a").repoPath("repo1");
  const daemon = await f.start("a", ["--verbose", "run", "--no-hooks"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);
  const git = await daemon.waitForLine(/ git .*\bstatus\b.* in \S+repo1: exit 0 after \d+ ms$/);
  assert.ok(git.includes(repo), git);
  await daemon.waitForLine(/ AWS DynamoDB \w+: ok \(HTTP 200\) after \d+ ms$/);
  assert.equal(await daemon.stop(), 0);

  const quiet = await f.start("a", ["run", "--no-hooks"]);
  await quiet.waitForLine(/Watching 1 repositories/, 30_000);
  assert.equal(await quiet.stop(), 0);
  assert.doesNotMatch(quiet.output(), / git | AWS /, "without --verbose no command is logged");
});

Deno.test("run --once exits 1 and names the repository whose fetch failed", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1", "broken", "gone"], setupAws: true });
  const a = f.machine("a");
  await a.git("broken", "remote", "set-url", "origin", join(f.ws.root, "no-such-origin.git"));
  await Deno.remove(a.repoPath("gone"), { recursive: true });

  const once = await f.cli("a", ["run", "--once", "--no-hooks"]);
  assert.equal(once.code, 1, once.stderr);
  const summary = once.stderr.split("\n").filter((line) => line.startsWith("gitargus: "));
  assert.deepEqual(summary, [
    "gitargus: 1 repository FAILED: broken (`gitargus status` and the log say why)",
  ]);
  assert.match(once.stderr, /Cannot find gone: /, "a MISSING repository warns, without failing the run");
  assert.doesNotMatch(once.stderr, /^\s+at /m, "no stack trace");

  await a.git("broken", "remote", "set-url", "origin", f.ws.originPath("broken"));
  await f.ok("a", ["run", "--once", "--no-hooks"]);
});
