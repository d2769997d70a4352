/**
 * `leave --local` from the daemon's state cache and its fallback, pushes waiting in the outbox, and `arrive`
 * after another machine's pushes, on the emulators through the real CLI and daemon.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";

Deno.test("leave --local answers from the daemon's cache, and reads git for what changed or without it", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1", "repo2"], setupAws: true });
  const a = f.machine("a");
  const local = () => f.cli("a", ["leave", "--local"], { cwd: a.workspace });
  const daemon = await f.start("a");
  await daemon.waitForLine(/Watching 2 repositories/, 30_000);
  const cache = join(a.home, ".gitargus", "state", "a.json");
  await waitFor(
    "the state cache",
    async () => Object.keys(JSON.parse(await Deno.readTextFile(cache)).repositories).length === 2,
  );
  const calm = await local();
  assert.deepEqual([calm.code, calm.stdout, calm.stderr], [0, "", ""]);

  // A branch never pushed moves git metadata: until the daemon has read it, that one repository is read live.
  await a.git("repo1", "switch", "--quiet", "-c", "idea");
  await a.commitFile("repo1", "idea.txt", "i\n", "idea");
  const right = await local();
  assert.equal(right.stdout, "⚠ 1 at risk\n");
  assert.match(
    right.stderr,
    /^(|gitargus: changed since the daemon last read them: read 1 repository from git\n)$/,
  );
  // A working-tree edit moves no git metadata: the daemon sees it and its cache says so.
  await Deno.writeTextFile(join(a.repoPath("repo2"), "README.md"), "edited\n");
  await waitFor("the edit in the cache", async () => {
    const r = await local();
    return r.stdout === "⚠ 2 at risk\n" && r.stderr === "" && r.code === 1;
  });

  assert.equal(await daemon.stop(), 0);
  const alone = await local();
  assert.equal(alone.stdout, "⚠ 2 at risk\n");
  assert.equal(alone.stderr, "gitargus: the daemon is not running: read 2 repositories from git\n");

  // With SNS out of reach the hook leaves the push in the outbox: pushed, but no other machine was told.
  await a.commitFile("repo2", "pushed.txt", "p\n", "pushed");
  const push = await f.gitPush("a", "repo2", [], { AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:9" });
  assert.equal(push.code, 0, push.stderr);
  const result = await f.cli("a", ["leave", "--json"], { cwd: a.workspace });
  assert.equal(result.code, 1);
  const repo2 = JSON.parse(result.stdout) as {
    unannounced: number;
    repositories: Array<{ name: string; risks: Array<{ kind: string; detail: string; commands: string[] }> }>;
  };
  assert.equal(repo2.unannounced, 1);
  const risk = repo2.repositories.find((r) => r.name === "repo2")!.risks.find((r) =>
    r.kind === "unannounced"
  );
  assert.deepEqual(risk, {
    kind: "unannounced",
    detail: "1 push not yet announced",
    commands: ["gitargus run --once"],
  });
});

Deno.test("arrive tells pushes fast-forwarded here, one blocked, and a machine offline with unpushed work", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1", "repo2"], setupAws: true });
  const a = f.machine("a");
  const b = f.machine("b");
  const arrive = async (...args: string[]) =>
    JSON.parse((await f.ok("b", ["arrive", "--json", ...args])).stdout);
  await f.ok("a", ["hooks", "install"]);
  const daemon = await f.start("b");
  await daemon.waitForLine(/Watching 2 repositories/, 30_000);

  const sha = await a.commitFile("repo1", "from-a.txt", "a\n", "from a");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);
  await waitFor("b fast-forwarded", async () => (await b.head("repo1")) === sha);
  await Deno.writeTextFile(join(b.repoPath("repo2"), "README.md"), "b's edit\n");
  await a.commitFile("repo2", "README.md", "a's edit\n", "a edits README");
  assert.equal((await f.gitPush("a", "repo2")).code, 0);
  await waitFor("b's blocked fast-forward", async () => {
    const status = await statusJson(f, "b", ["--host", "b"]);
    return (repoOf(status, "b", "repo2")?.sync as { result?: string } | null)?.result === "blocked";
  }, 30_000);
  // a leaves a branch nobody else has, its daemon records it and stops.
  await a.git("repo1", "switch", "--quiet", "-c", "idea");
  await a.commitFile("repo1", "idea.txt", "i\n", "idea");
  const daemonA = await f.start("a");
  await daemonA.waitForLine(/Watching 2 repositories/, 30_000);
  assert.equal(await daemonA.stop(), 0);

  const first = await arrive();
  assert.equal(first.sinceFrom, "daemon-start");
  assert.deepEqual(first.fastForwarded.map((x: { name: string; head: string }) => [x.name, x.head]), [[
    "repo1",
    sha,
  ]]);
  assert.equal(first.notApplied.length, 1);
  assert.equal(first.notApplied[0].name, "repo2");
  assert.equal(first.notApplied[0].result, "blocked");
  assert.match(first.notApplied[0].reason, /local changes would be overwritten: README\.md/);
  assert.deepEqual(first.notApplied[0].commands, [`git -C ${b.repoPath("repo2")} status`]);
  assert.deepEqual(first.offlineWithUnpushed, ["a"]);
  const elsewhere = first.atRiskElsewhere[0];
  assert.equal(elsewhere.hostname, "a");
  assert.equal(elsewhere.online, false);
  assert.equal(elsewhere.unpushedCommits, 1);
  assert.deepEqual(elsewhere.repositories[0].risks.map((r: { detail: string }) => r.detail), [
    "idea +1 never pushed",
  ]);

  // The run above is the new starting point; --since looks back without moving it.
  const again = await arrive();
  assert.equal(again.sinceFrom, "last-arrive");
  assert.deepEqual(again.fastForwarded, []);
  const back = await arrive("--since", "1h");
  assert.equal(back.sinceFrom, "option");
  assert.equal(back.fastForwarded.length, 1);
  const text = await f.ok("b", ["arrive", "--since", "1h"], { cwd: b.workspace });
  assert.match(text.stdout, /Fast-forwarded here:\n\s+repo1\s+main → [0-9a-f]{7}/);
  assert.match(
    text.stdout,
    /Not applied here:\n\s+repo2\s+BEHIND: local changes would be overwritten.*git -C repo2 status/,
  );
  assert.match(text.stdout, /Offline with unpushed work:\n\s+a\s+1 unpushed commit/);

  const bad = await f.cli("b", ["arrive", "--since", "yesterday"]);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    'gitargus: --since "yesterday" is neither a duration (30m, 2h, 3d, 1w) nor an ISO time\n',
  );
});
