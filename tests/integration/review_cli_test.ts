/**
 * The command line as a new user meets it, at the edges next to the cases other tests cover: every failure
 * is one line naming what is wrong and where, with its exit code, and a failed command changes no file.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";

async function workspace() {
  const ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "group/repo2"] });
  const a = ws.machine("a");
  const file = await a.writeConfig({ repositories: ["repo1"] });
  return { ws, a, file, [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose]() };
}

function run(machine: Machine, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { ...machine.env, NO_COLOR: "1", ...env }, cwd: machine.workspace });
}

function assertOneLine(result: CliResult, code: number, pattern: RegExp): void {
  const streams = `exit ${result.code}:\n${result.stdout}\n${result.stderr}`;
  assert.equal(result.code, code, streams);
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, streams);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /Unexpected error|Uncaught|^\s+at /m, streams);
}

/** A folder no one may write to: permissions, or for root the immutable attribute. Null where neither works. */
async function readOnly(dir: string): Promise<AsyncDisposable | null> {
  if (Deno.uid() !== 0) {
    await Deno.chmod(dir, 0o555);
    return { [Symbol.asyncDispose]: () => Deno.chmod(dir, 0o755) };
  }
  const chattr = (flag: string) => new Deno.Command("chattr", { args: [flag, dir], stderr: "null" }).output();
  const set = await chattr("+i").catch(() => null);
  return set?.code === 0 ? { [Symbol.asyncDispose]: async () => void await chattr("-i") } : null;
}

Deno.test("an empty --config is a usage error, not a silent edit of the default config", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  assertOneLine(await run(fx.a, ["--config", "", "remove", "repo1"]), 2, /--config.*empty|empty.*--config/);
  assertOneLine(await run(fx.a, ["--config=", "status", "--local"]), 2, /--config/);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("add given the same repository twice adds it once and says so once", async () => {
  await using fx = await workspace();
  const path = fx.a.repoPath("group/repo2");
  const result = await run(fx.a, ["add", path, "group/repo2", "./group/../group/repo2"]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stdout.trimEnd().split("\n"), [
    "Added group/repo2 (pre-push hook: installed)",
    "A running daemon applies the change now.",
  ]);
  assert.equal((await Deno.readTextFile(fx.file)).match(/group\/repo2/g)?.length, 1);
});

Deno.test("add of the workspace root says it is the root itself", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  assertOneLine(await run(fx.a, ["add", fx.a.workspace]), 2, /is the workspace root itself/);
  assertOneLine(await run(fx.a, ["add", ""]), 2, /Cannot add "": .*workspace root/);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("add refuses a linked worktree and names the repository it belongs to", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  const worktree = join(fx.a.workspace, "repo1-feature");
  await fx.a.git("repo1", "worktree", "add", "-q", "-b", "feature", worktree);
  assertOneLine(await run(fx.a, ["add", worktree]), 2, /"[^"]*repo1-feature": .*linked worktree of "repo1"/);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("hooks install in a read-only hooks folder reports that repository and still installs the others", async (t) => {
  await using fx = await workspace();
  await fx.a.writeConfig({ repositories: ["repo1", "group/repo2"] });
  const hooks = join(fx.a.repoPath("repo1"), ".git", "hooks");
  await using locked = await readOnly(hooks);
  if (!locked) {
    return void await t.step({ name: "no way to make a read-only folder here", ignore: true, fn() {} });
  }
  const result = await run(fx.a, ["hooks", "install"]);
  assertOneLine(result, 1, /1 repositories have no working pre-push hook|1 repository has no working/);
  assert.match(result.stdout, /^repo1\s+failed\s+cannot write ".*pre-push": /m);
  assert.match(result.stdout, /^group\/repo2\s+installed\s/m);
  const other = join(fx.a.repoPath("group/repo2"), ".git", "hooks", "pre-push");
  assert.match(await Deno.readTextFile(other), /gitargus/);
});

Deno.test("add into a repository whose hooks folder is read-only adds it and says the hook is not installed", async (t) => {
  await using fx = await workspace();
  const hooks = join(fx.a.repoPath("group/repo2"), ".git", "hooks");
  await using locked = await readOnly(hooks);
  if (!locked) {
    return void await t.step({ name: "no way to make a read-only folder here", ignore: true, fn() {} });
  }
  const result = await run(fx.a, ["add", "group/repo2"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^Added group\/repo2 \(pre-push hook: not installed: cannot write ".*pre-push": .*; fix that, then run `gitargus hooks install`\)$/m,
  );
  assert.match(await Deno.readTextFile(fx.file), /group\/repo2/);
});

Deno.test("run --once with a HOME nobody may write to fails in one line naming the folder", async (t) => {
  await using fx = await workspace();
  const home = join(fx.ws.root, "locked-home");
  await Deno.mkdir(home);
  await using locked = await readOnly(home);
  if (!locked) {
    return void await t.step({ name: "no way to make a read-only folder here", ignore: true, fn() {} });
  }
  const result = await run(fx.a, ["--config", fx.file, "run", "--once"], { HOME: home });
  assertOneLine(
    result,
    1,
    /Cannot take the daemon's lock ".*locked-home\/\.gitargus\/locks\/daemon-[0-9a-f]+\.lock": \S/,
  );
});

Deno.test("a push from a linked worktree is announced as its repository's push", async () => {
  await using fx = await workspace();
  // AWS does not answer here, so the hook leaves its event in the outbox, where the test reads it.
  await fx.a.writeConfig({
    repositories: ["repo1"],
    aws: { region: "eu-central-1", endpoint: "http://127.0.0.1:9" },
  });
  const worktree = join(fx.a.workspace, "repo1-feature");
  await fx.a.git("repo1", "worktree", "add", "-q", "-b", "feature", worktree);
  const sha = await fx.a.git("repo1", "rev-parse", "feature");
  const result = await runCli(["hook", "pre-push", "origin"], {
    env: { ...fx.a.env, NO_COLOR: "1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" },
    cwd: worktree,
    stdin: `refs/heads/feature ${sha} refs/heads/feature ${"0".repeat(40)}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /push not announced yet/);
  const outbox = join(fx.a.home, ".gitargus", "outbox");
  const events = [];
  for await (const entry of Deno.readDir(outbox)) {
    events.push(await Deno.readTextFile(join(outbox, entry.name)));
  }
  assert.equal(events.length, 1, events.join("\n"));
  assert.match(events[0]!, /"repository":\s*"repo1"/);
});

Deno.test("init leaves a linked worktree out of the list and says whose it is", async () => {
  await using fx = await workspace();
  const worktree = join(fx.a.workspace, "wt", "repo1-feature");
  await fx.a.git("repo1", "worktree", "add", "-q", "-b", "feature", worktree);
  const home = join(fx.ws.root, "fresh-home");
  await Deno.mkdir(home);
  const result = await run(fx.a, ["init", "--root", fx.a.workspace, "--hostname", "a", "--dry-run"], {
    HOME: home,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ {2}- repo1$/m);
  assert.match(result.stdout, /^ {2}- group\/repo2$/m);
  assert.doesNotMatch(result.stdout, /repo1-feature/);
  assert.equal(
    result.stderr,
    'gitargus: Skipped "wt/repo1-feature": a linked worktree of "repo1", whose status lists it\n',
  );
});

Deno.test("init with an empty --config writes nothing anywhere", async () => {
  await using fx = await workspace();
  const before = await Deno.readTextFile(fx.file);
  assertOneLine(await run(fx.a, ["--config", "", "init", "--root", fx.a.workspace, "--yes"]), 2, /--config/);
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("an endpoint on a host the program may not reach is named as such, without runtime advice", async () => {
  await using fx = await workspace();
  await fx.a.writeConfig({ aws: { region: "eu-central-1", endpoint: "http://10.255.255.1:4566" } });
  const env = { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };
  const status = await run(fx.a, ["status"], env);
  assertOneLine(
    status,
    1,
    /"10\.255\.255\.1:4566" is not a host GitArgus may connect to .*; check aws\.endpoint, /,
  );
  assert.doesNotMatch(status.stderr, /allow-net|NotCapable/);
  const doctor = await run(fx.a, ["doctor"], env);
  assert.equal(doctor.code, 1, doctor.stderr);
  assert.match(
    doctor.stdout,
    /^dynamodb table\s+FAIL\s+.*"10\.255\.255\.1:4566" is not a host GitArgus may/m,
  );
  assert.doesNotMatch(doctor.stdout, /allow-net|NotCapable/);
});

Deno.test("run --once whose states never reached the store exits 1 and says so last", async () => {
  await using fx = await workspace();
  await fx.a.writeConfig({
    repositories: ["repo1"],
    aws: { region: "eu-central-1", endpoint: "http://127.0.0.1:9" },
  });
  const result = await run(fx.a, ["run", "--once"], { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" });
  assert.equal(result.code, 1, result.stderr);
  const last = result.stderr.trimEnd().split("\n").at(-1)!;
  assert.match(
    last,
    /^gitargus: The store did not take this run's repository states \(the warnings above say why\)/,
  );
  assert.match(result.stderr, /ECONNREFUSED/);
  assert.doesNotMatch(result.stderr, /Unexpected error|Uncaught|^\s+at /m);
});

Deno.test("setup-aws refuses a topic name SNS would refuse before it makes anything", async () => {
  await using fx = await workspace();
  await fx.a.writeConfig({ aws: { region: "eu-central-1", endpoint: "http://127.0.0.1:9" } });
  const before = await Deno.readTextFile(fx.file);
  for (const name of ["gitargus", "bad name.fifo", "", `${"x".repeat(252)}.fifo`]) {
    const result = await run(fx.a, ["setup-aws", "--topic-name", name]);
    assertOneLine(result, 2, /--topic-name expects an SNS FIFO topic name .*, got "/);
  }
  assert.equal(await Deno.readTextFile(fx.file), before);
});

Deno.test("a repository folder whose name is not UTF-8 is named as such by add and init", async () => {
  await using fx = await workspace();
  const make = 'd="$(printf "odd\\377name")" && git init -q "$d" && git -C "$d" commit -q --allow-empty -m x';
  const made = await new Deno.Command("sh", {
    args: ["-c", make],
    cwd: fx.a.workspace,
    env: fx.a.env,
    clearEnv: true,
  })
    .output();
  assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
  const before = await Deno.readTextFile(fx.file);
  assertOneLine(await run(fx.a, ["add", "odd\uFFFDname"]), 2, /"odd\uFFFDname": its name is not UTF-8 text/);
  assert.equal(await Deno.readTextFile(fx.file), before);
  const home = join(fx.ws.root, "fresh-home");
  await Deno.mkdir(home);
  const init = await run(fx.a, ["init", "--root", fx.a.workspace, "--hostname", "a", "--dry-run"], {
    HOME: home,
  });
  assert.equal(init.code, 0, init.stderr);
  assert.match(
    init.stderr,
    /^gitargus: Skipped "odd\uFFFDname": cannot read it \(its name is not UTF-8 text/m,
  );
});
