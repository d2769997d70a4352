/** `status` and `hooks status` as a user runs them: filters that match nothing, `--attention`, the summary. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";

async function workspace() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "group/repo2"] });
  const a = ws.machine("a");
  await a.writeConfig();
  return { ws, a, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

function run(machine: Machine, args: string[]): Promise<CliResult> {
  return runCli(args, { env: { ...machine.env, NO_COLOR: "1" } });
}

function assertOneLineFailure(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, `exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, pattern);
}

Deno.test("status --host with an unknown machine exits 1 and lists the known ones", async () => {
  await using fx = await workspace();
  assertOneLineFailure(
    await run(fx.a, ["status", "--local", "--host", "nosuch"]),
    /^gitargus: no host named "nosuch"; known: a$/,
  );
});

Deno.test("status --repo with an unknown repository exits 1 and lists the known ones", async () => {
  await using fx = await workspace();
  assertOneLineFailure(
    await run(fx.a, ["status", "--local", "--repo", "nosuch"]),
    /^gitargus: no repository named "nosuch"; known: group\/repo2, repo1$/,
  );
  const found = await run(fx.a, ["status", "--local", "--repo", "repo2"]);
  assert.equal(found.code, 0, found.stderr);
  assert.match(found.stdout, /^group\/repo2 /m);
});

Deno.test("hooks status --repo with an unknown repository exits 1 and lists the known ones", async () => {
  await using fx = await workspace();
  assertOneLineFailure(
    await run(fx.a, ["hooks", "status", "--repo", "nosuch"]),
    /^gitargus: no repository named "nosuch"; known: group\/repo2, repo1$/,
  );
});

Deno.test("status --attention shows only what needs it, and the summary counts every repository", async () => {
  await using fx = await workspace();
  const quiet = await run(fx.a, ["status", "--local", "--attention"]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /^Nothing needs attention\.$/m);
  assert.match(
    quiet.stdout,
    /^a: 2 repositories, 0 need attention, 0 unpushed commits, 0 stashes, 0 uncommitted$/m,
  );

  await Deno.writeTextFile(join(fx.a.repoPath("repo1"), "new.txt"), "draft\n");
  const busy = await run(fx.a, ["status", "--local", "--attention"]);
  assert.match(busy.stdout, /^repo1 /m);
  assert.doesNotMatch(busy.stdout, /^group\/repo2 /m);
  assert.match(
    busy.stdout,
    /^a: 2 repositories, 1 needs attention, 0 unpushed commits, 0 stashes, 1 uncommitted$/m,
  );

  const json = JSON.parse((await run(fx.a, ["status", "--local", "--attention", "--json"])).stdout);
  assert.deepEqual(json.hosts[0].repositories.map((r: { name: string }) => r.name), ["repo1"]);
});

Deno.test("status shows a missing repository's changes as unknown, not clean", async () => {
  await using fx = await workspace();
  await Deno.remove(fx.a.repoPath("repo1"), { recursive: true });
  const result = await run(fx.a, ["status", "--local"]);
  assert.equal(result.code, 0, result.stderr);
  const row = result.stdout.split("\n").find((l) => l.startsWith("repo1 "));
  assert.ok(row, result.stdout);
  assert.match(row, /MISSING\s+-\s/);
  assert.doesNotMatch(row, /clean/);
});

Deno.test("status --help explains the AGE column and the notes", async () => {
  const result = await runCli(["status", "--help"], { env: {} });
  assert.equal(result.code, 0, result.stderr);
  for (
    const text of [
      "AGE",
      "never pushed",
      "upstream gone",
      "not fast-forwarded",
      "fetch failed",
      "--attention",
    ]
  ) {
    assert.ok(result.stdout.includes(text), `--help lacks ${text}`);
  }
});
