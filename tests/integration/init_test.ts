/**
 * `gitargus init` through the real CLI on real clones: the file it writes is the one `status --local` then
 * reads, it never overwrites a config unasked, and it keeps what `setup-aws` recorded.
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { initCommand, type Prompter } from "../../src/cli/commands/init.ts";

const REPOS = ["project1/repo1", "project2/deep/repo2", "repo1"];

async function init(
  machine: Machine,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  return await runCli(["init", ...args], { env: { ...machine.env, ...options.env }, ...options });
}

function assertExit(result: CliResult, code: number, args: string): void {
  assert.equal(
    result.code,
    code,
    `gitargus ${args} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
  );
}

function configFile(machine: Machine): string {
  return join(machine.home, ".gitargus", "config.yml");
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("init writes the repositories under root into a config that status --local reads", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: REPOS });
  const a = ws.machine("a");
  // A dependency's own clone is not one of the workspace's repositories.
  await Deno.mkdir(join(a.workspace, "tools", "node_modules", "dep", ".git"), { recursive: true });

  const result = await init(a, ["--root", a.workspace, "--hostname", "a"]);
  assertExit(result, 0, "init");
  assert.match(result.stdout, new RegExp(`^Found 3 git repositories under ${a.workspace}:$`, "m"));
  assert.match(result.stdout, new RegExp(`^Wrote ${configFile(a)}$`, "m"));
  assert.match(result.stdout, /^ {2}gitargus setup-aws /m);
  assert.match(result.stdout, /^ {2}gitargus install-service --enable /m);
  assert.equal(result.stderr, "");

  const config = parse(await Deno.readTextFile(configFile(a)));
  assert.equal(config.hostname, "a");
  assert.equal(config.root, a.workspace);
  assert.deepEqual(config.repositories, REPOS);

  const status = await runCli(["status", "--local", "--json"], { env: a.env });
  assertExit(status, 0, "status --local --json");
  const report = JSON.parse(status.stdout) as {
    hosts: { hostname: string; repositories: { name: string; state: string }[] }[];
  };
  assert.equal(report.hosts.length, 1);
  assert.equal(report.hosts[0]!.hostname, "a");
  const repositories = report.hosts[0]!.repositories;
  assert.deepEqual(repositories.map((r) => r.name).sort(), REPOS);
  for (const repository of repositories) assert.notEqual(repository.state, "MISSING", repository.name);
});

Deno.test("init refuses to change a config without --yes when nobody can be asked", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const file = await a.writeConfig({ repositories: [] });
  const before = await Deno.readTextFile(file);

  const result = await init(a, ["--root", a.workspace]);
  assertExit(result, 2, "init");
  assert.equal(
    result.stderr,
    `gitargus: Config "${file}" exists; pass --yes to add the repositories found to it\n`,
  );
  assert.equal(result.stdout, "");
  assert.equal(await Deno.readTextFile(file), before);
});

Deno.test("init asks before changing a config on a terminal: only yes changes the file", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const file = await a.writeConfig({ repositories: [] });
  const before = await Deno.readTextFile(file);
  const questions: string[] = [];
  // In-process, since a subprocess has no terminal to ask on; the answer is what the user types.
  const typing = (answer: string | null): Prompter => ({
    isInteractive: () => true,
    ask: (question) => {
      questions.push(question);
      return Promise.resolve(answer);
    },
  });
  const options = { root: a.workspace, hostname: "a", depth: "4" };
  for (const answer of ["", "n", "nope", null]) {
    await initCommand({ config: file }, options, typing(answer));
    assert.equal(await Deno.readTextFile(file), before, `answer ${JSON.stringify(answer)}`);
  }
  await initCommand({ config: file }, options, typing("Y"));
  assert.deepEqual(parse(await Deno.readTextFile(file)).repositories, ["repo1"]);
  assert.deepEqual(questions, Array(5).fill(`Update ${file} with the repositories found? [y/N] `));
});

Deno.test("init --yes updates the config, keeps its aws settings and a symlink to it", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "group/repo2"] });
  const a = ws.machine("a");
  const aws = {
    region: "eu-central-1",
    endpoint: "http://127.0.0.1:4566",
    dynamodb: { table: "team-status" },
    sqs: { queue: "a.fifo" },
    sns: { topic: { arn: "arn:aws:sns:eu-central-1:123456789012:gitargus.fifo" } },
  };
  const file = await a.writeConfig({ repositories: [], aws });
  // The config kept by a dotfile manager: the link stays, the file it points at changes.
  const target = join(a.home, "dotfiles", "gitargus.yml");
  await Deno.mkdir(dirname(target));
  await Deno.rename(file, target);
  await Deno.symlink(target, file);

  const result = await init(a, ["--root", a.workspace, "--hostname", "a", "--yes"]);
  assertExit(result, 0, "init --yes");
  assert.match(
    result.stdout,
    new RegExp(`^Updated ${file} \\(added 2 repositories; kept every other setting\\)$`, "m"),
  );
  const config = parse(await Deno.readTextFile(file));
  assert.deepEqual(config.aws, aws);
  assert.deepEqual(config.repositories, ["group/repo2", "repo1"]);
  assert.equal(await Deno.readLink(file), target);
  assertExit(await runCli(["status", "--local"], { env: a.env }), 0, "status --local");
});

Deno.test("init --dry-run prints the config for the current folder and writes nothing", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  // HOME one level up from the workspace: root is written as "~/workspace", which reads right on any account.
  const home = dirname(a.workspace);
  const file = join(home, ".gitargus", "config.yml");

  const result = await init(a, ["--dry-run", "--hostname", "a"], { cwd: a.workspace, env: { HOME: home } });
  assertExit(result, 0, "init --dry-run");
  const config = parse(result.stdout);
  assert.equal(config.root, "~/workspace");
  assert.deepEqual(config.repositories, ["repo1"]);
  assert.equal(await exists(file), false);

  // An existing file is no obstacle to a dry run, and stays as it was.
  await Deno.mkdir(dirname(file), { recursive: true });
  await Deno.writeTextFile(file, "root: /elsewhere\n");
  assertExit(await init(a, ["--dry-run"], { cwd: a.workspace, env: { HOME: home } }), 0, "init --dry-run");
  assert.equal(await Deno.readTextFile(file), "root: /elsewhere\n");

  // A repository as root cannot list itself: said on stderr, not fatal.
  const inside = await init(a, ["--dry-run", "--root", a.repoPath("repo1")]);
  assertExit(inside, 0, "init --dry-run --root <repository>");
  assert.match(inside.stderr, /^gitargus: Root ".*repo1" is itself a git repository; it is not listed/);
  assert.deepEqual(parse(inside.stdout).repositories, []);
});

Deno.test("init writes to --config and names it in the next steps", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const file = join(ws.root, "elsewhere", "gitargus.yml");
  const result = await runCli(["--config", file, "init", "--root", a.workspace], { env: a.env });
  assertExit(result, 0, "--config FILE init");
  assert.match(result.stdout, new RegExp(`^ {2}gitargus --config ${file} setup-aws `, "m"));
  assert.equal(await exists(configFile(a)), false);
  assert.deepEqual(parse(await Deno.readTextFile(file)).repositories, ["repo1"]);
});

Deno.test("init rejects a missing root and a bad --depth in one line, exit 2", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [] });
  const a = ws.machine("a");
  const missing = join(ws.root, "no-such-folder");
  const noRoot = await init(a, ["--root", missing]);
  assertExit(noRoot, 2, "init --root <missing>");
  assert.equal(noRoot.stderr, `gitargus: Root folder "${missing}" does not exist\n`);

  const badDepth = await init(a, ["--root", a.workspace, "--depth", "deep"]);
  assertExit(badDepth, 2, "init --depth deep");
  assert.equal(badDepth.stderr, 'gitargus: --depth expects a whole number of at least 1, got "deep"\n');
  assert.equal(await exists(configFile(a)), false);
});

Deno.test("init --yes on an existing config merges what it finds and keeps every other setting", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "group/repo2"] });
  const a = ws.machine("a");
  const file = join(a.home, ".gitargus", "config.yml");
  await Deno.mkdir(dirname(file), { recursive: true });
  const original = `# laptop config
hostname: a
root: ${a.workspace}
repositories:
  - { name: repo1, autoPull: false } # hands off
  - gone/elsewhere
timezone: Europe/Budapest
autoPull: false
daemon:
  heartbeatSeconds: 30
`;
  await Deno.writeTextFile(file, original);
  const result = await init(a, ["--root", a.workspace, "--yes"]);
  assertExit(result, 0, "init --yes");
  assert.match(result.stdout, /\(added 1 repository; kept every other setting\)$/m);
  const text = await Deno.readTextFile(file);
  for (
    const kept of ["# laptop config", "{ name: repo1, autoPull: false } # hands off", "- gone/elsewhere"]
  ) {
    assert.ok(text.includes(kept), `lost ${kept}:\n${text}`);
  }
  const config = parse(text);
  assert.equal(config.timezone, "Europe/Budapest");
  assert.equal(config.autoPull, false);
  assert.deepEqual(config.daemon, { heartbeatSeconds: 30 });
  assert.equal(config.hostname, "a");
  assert.deepEqual(config.repositories.at(-1), "group/repo2");
});
