/**
 * Issue: every repository's state in DynamoDB, read back by `gitargus status`. Two machines run the daemon;
 * a third reads `status --json` and every field is checked against the repositories themselves.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";

const REPOS = ["repo1", "project1/repo1", "ghost"];

Deno.test("run --once on two machines shows both in status --json on a third, field by field", async () => {
  await using f = await fleet({
    machines: ["a", "b", "c"],
    repositories: REPOS,
    setupAws: true,
    config: (m) =>
      m === "b" ? { repositories: [{ name: "repo1", autoPull: false }, "project1/repo1", "ghost"] } : {},
  });
  const a = f.machine("a");
  const b = f.machine("b");
  await Deno.remove(a.repoPath("ghost"), { recursive: true });
  await Deno.remove(b.repoPath("ghost"), { recursive: true });

  // a: a local commit (ahead 1), a stash, an unstaged edit, a staged new file and an untracked file.
  await a.commitFile("repo1", "local.txt", "local\n", "local work");
  await Deno.writeTextFile(join(a.repoPath("repo1"), "README.md"), "stashed\n");
  await a.git("repo1", "stash", "push", "-q");
  await Deno.writeTextFile(join(a.repoPath("repo1"), "README.md"), "edited\n");
  await Deno.writeTextFile(join(a.repoPath("repo1"), "staged.txt"), "staged\n");
  await a.git("repo1", "add", "staged.txt");
  await Deno.writeTextFile(join(a.repoPath("repo1"), "untracked.txt"), "new\n");
  // a: project1/repo1 detached.
  await a.git("project1/repo1", "checkout", "-q", "--detach");
  // b: repo1 behind by one (autoPull off there); project1/repo1 with an unpushed side branch.
  const c = f.machine("c");
  await c.commitFile("repo1", "from-c.txt", "c\n", "c pushes");
  await c.push("repo1");
  await b.git("project1/repo1", "checkout", "-q", "-b", "topic", "--track", "origin/main");
  await b.commitFile("project1/repo1", "t1.txt", "1\n", "topic 1");
  await b.commitFile("project1/repo1", "t2.txt", "2\n", "topic 2");
  await b.git("project1/repo1", "checkout", "-q", "main");

  await f.ok("a", ["run", "--once"]);
  await f.ok("b", ["run", "--once"]);
  const status = await statusJson(f, "c");

  const hostnames = status.hosts.map((h) => h.hostname).sort();
  assert.deepEqual(hostnames, ["a", "b"]);
  for (const host of status.hosts) {
    assert.equal(host.online, true);
    assert.ok(host.heartbeatAt);
  }

  const aRepo = repoOf(status, "a", "repo1")!;
  assert.equal(aRepo.branch, "main");
  assert.equal(aRepo.upstream, "origin/main");
  assert.equal(aRepo.head, await a.head("repo1"));
  assert.equal(aRepo.state, "DIVERGED");
  assert.equal(aRepo.ahead, 1);
  assert.equal(aRepo.behind, 1);
  assert.equal(aRepo.clean, false);
  assert.equal(aRepo.stashes, 1);
  assert.equal(aRepo.operation, null);
  const changes = aRepo.changes as Record<string, unknown>;
  assert.equal(changes.staged, 1);
  assert.equal(changes.unstaged, 1);
  assert.equal(changes.untracked, 1);
  assert.equal(changes.conflicted, 0);
  assert.ok(Date.parse(aRepo.updatedAt as string) > 0);
  assert.match(aRepo.updatedAt as string, /Z$/);

  const aDetached = repoOf(status, "a", "project1/repo1")!;
  assert.equal(aDetached.state, "DETACHED");
  assert.equal(aDetached.branch, null);
  assert.equal(aDetached.head, await a.head("project1/repo1"));
  assert.equal(aDetached.clean, true);

  const bRepo = repoOf(status, "b", "repo1")!;
  assert.equal(bRepo.state, "BEHIND");
  assert.equal(bRepo.behind, 1);
  assert.equal(bRepo.ahead, 0);
  assert.equal(bRepo.head, await b.head("repo1"));
  assert.equal(bRepo.clean, true);

  const bProject = repoOf(status, "b", "project1/repo1")!;
  assert.equal(bProject.state, "UP_TO_DATE");
  assert.deepEqual(bProject.unpushedBranches, [{ name: "topic", upstream: "origin/main", ahead: 2 }]);

  for (const host of ["a", "b"]) {
    const ghost = repoOf(status, host, "ghost")!;
    assert.equal(ghost.state, "MISSING");
    assert.match(String(ghost.error), /does not exist/);
  }

  // Filters.
  const onlyB = await statusJson(f, "c", ["--host", "b", "--repo", "repo1"]);
  assert.deepEqual(onlyB.hosts.map((h) => h.hostname), ["b"]);
  assert.deepEqual(onlyB.hosts[0]!.repositories.map((r) => r.name).sort(), ["project1/repo1", "repo1"]);

  // The table puts a's uncommitted, unpushed work first for the reader on c.
  const table = await f.ok("c", ["status"], { env: { NO_COLOR: "1" } });
  const firstRow = table.stdout.split("\n")[1] ?? "";
  assert.match(firstRow, /^repo1\s+a\s+main\s+DIVERGED/);
});

Deno.test("the daemon writes a worktree change within seconds and exits 0 on SIGTERM", async () => {
  await using f = await fleet({ machines: ["a", "c"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const daemon = await f.start("a");
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);
  await Deno.writeTextFile(join(a.repoPath("repo1"), "new-file.txt"), "hello\n");
  await waitFor(
    "a's untracked file in the store",
    async () => {
      const repo = repoOf(await statusJson(f, "c"), "a", "repo1");
      return (repo?.changes as { untracked?: number } | undefined)?.untracked === 1 || undefined;
    },
    15_000,
    200,
  );
  assert.equal(await daemon.stop("SIGTERM"), 0);
  const status = await statusJson(f, "c");
  assert.equal(status.hosts.find((h) => h.hostname === "a")?.online, false);
});

Deno.test("status --local reads this machine's live state without AWS", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"] });
  await Deno.writeTextFile(join(f.machine("a").repoPath("repo1"), "x.txt"), "x\n");
  const result = await f.ok("a", ["status", "--local", "--json"], {
    env: { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" },
  });
  const status = JSON.parse(result.stdout);
  assert.equal(status.hosts[0].hostname, "a");
  assert.equal(status.hosts[0].repositories[0].state, "UP_TO_DATE");
  assert.equal(status.hosts[0].repositories[0].changes.untracked, 1);
});

Deno.test("a hung fetch is killed and reported as FAILED while the other repositories go on", async () => {
  await using f = await fleet({
    machines: ["a", "c"],
    repositories: ["repo1", "hangs"],
    setupAws: true,
    config: () => ({ daemon: { fetchTimeoutSeconds: 1 } }),
  });
  const a = f.machine("a");
  // An ssh "remote" that never answers: the fetch must be killed at the timeout.
  const ssh = join(f.ws.root, "hanging-ssh");
  await Deno.writeTextFile(ssh, "#!/bin/sh\nexec sleep 10\n", { mode: 0o755 });
  await a.git("hangs", "remote", "set-url", "origin", "ssh://unreachable.example/hangs.git");
  const started = performance.now();
  const once = await f.cli("a", ["run", "--once"], { env: { GIT_SSH_COMMAND: ssh } });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(once.code, 1, `run --once exits 1 for the FAILED repository:\n${once.stderr}`);
  assert.match(once.stderr, /^gitargus: 1 repository FAILED: hangs /m);
  const status = await statusJson(f, "c");
  const hung = repoOf(status, "a", "hangs")!;
  assert.equal(hung.state, "FAILED");
  assert.match(String(hung.error), /timed out|killed/);
  assert.equal(repoOf(status, "a", "repo1")!.state, "UP_TO_DATE");
  assert.ok(seconds < 10, `run --once took ${seconds.toFixed(1)} s: the fetch was not killed at its timeout`);
});
