/** `gitargus add` and `gitargus remove` edit the repository list in place, as a user runs them. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";

const CONFIG_HEAD = "# my workspace\nhostname: a # this laptop\n";

async function workspace() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "group/repo2", "other/repo2"] });
  const a = ws.machine("a");
  const file = join(a.home, ".gitargus", "config.yml");
  await Deno.mkdir(join(a.home, ".gitargus"), { recursive: true });
  await Deno.writeTextFile(
    file,
    `${CONFIG_HEAD}root: ${a.workspace}\nrepositories:\n  # the important one\n  - { name: repo1, autoPull: false }\n` +
      `timezone: Europe/Budapest\nautoPull: true\ndaemon:\n  heartbeatSeconds: 30 # quick\n`,
  );
  return { ws, a, file, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

function run(machine: Machine, args: string[], cwd?: string): Promise<CliResult> {
  return runCli(args, { env: { ...machine.env, NO_COLOR: "1" }, ...(cwd ? { cwd } : {}) });
}

function assertFails(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  assert.match(result.stderr, pattern);
}

Deno.test("add appends repositories, keeps comments and settings, and installs their hooks", async () => {
  await using fx = await workspace();
  const result = await run(fx.a, ["add", fx.a.repoPath("group/repo2"), "other/repo2"], fx.a.workspace);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Added group\/repo2 \(pre-push hook: installed\)$/m);
  assert.match(result.stdout, /^Added other\/repo2 /m);
  const text = await Deno.readTextFile(fx.file);
  assert.ok(text.startsWith(CONFIG_HEAD), text);
  for (
    const kept of ["# the important one", "{ name: repo1, autoPull: false }", "timezone: Europe/Budapest"]
  ) {
    assert.ok(text.includes(kept), `lost ${kept}:\n${text}`);
  }
  assert.ok(text.includes("heartbeatSeconds: 30 # quick"), text);
  assert.match(text, /- group\/repo2\n\s+- other\/repo2\n/);
  const hook = await Deno.readTextFile(join(fx.a.repoPath("group/repo2"), ".git", "hooks", "pre-push"));
  assert.match(hook, /gitargus/);
  const status = JSON.parse((await run(fx.a, ["status", "--local", "--json"])).stdout);
  assert.deepEqual(status.hosts[0].repositories.map((r: { name: string }) => r.name).sort(), [
    "group/repo2",
    "other/repo2",
    "repo1",
  ]);
});

Deno.test("add of a configured repository changes nothing and says so", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  const result = await run(fx.a, ["add", fx.a.repoPath("repo1")]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^repo1 is already configured$/m);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("add refuses folders outside the root, missing folders and folders that are not repositories", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  assertFails(await run(fx.a, ["add", fx.a.home]), 2, /not inside the workspace root/);
  assertFails(
    await run(fx.a, ["add", join(fx.a.workspace, "nosuch")]),
    2,
    /"[^"]*nosuch": it does not exist/,
  );
  const plain = join(fx.a.workspace, "group", "notes");
  await Deno.mkdir(plain, { recursive: true });
  assertFails(await run(fx.a, ["add", plain]), 2, /is not a git repository/);
  assertFails(await run(fx.a, ["add", join(fx.a.repoPath("repo1"), ".git")]), 2, /Cannot add/);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("remove takes a name or its last part and keeps everything else", async () => {
  await using fx = await workspace();
  await run(fx.a, ["add", fx.a.repoPath("group/repo2")]);
  const result = await run(fx.a, ["remove", "repo1"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Removed repo1 /m);
  const text = await Deno.readTextFile(fx.file);
  assert.ok(!text.includes("name: repo1"), text);
  assert.ok(text.includes("- group/repo2"), text);
  assert.ok(text.startsWith(CONFIG_HEAD) && text.includes("timezone: Europe/Budapest"), text);
  assert.ok(await Deno.stat(fx.a.repoPath("repo1")), "the folder stays");
});

Deno.test("remove of an unknown or ambiguous name exits 2 and writes nothing", async () => {
  await using fx = await workspace();
  await run(fx.a, ["add", fx.a.repoPath("group/repo2"), fx.a.repoPath("other/repo2")]);
  const before = await Deno.readTextFile(fx.file);
  assertFails(
    await run(fx.a, ["remove", "nosuch"]),
    2,
    /No configured repository named "nosuch"; configured: /,
  );
  assertFails(
    await run(fx.a, ["remove", "repo2"]),
    2,
    /"repo2" matches group\/repo2, other\/repo2; give the full name/,
  );
  assert.equal(await Deno.readTextFile(fx.file), before);
});
