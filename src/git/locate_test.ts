import assert from "node:assert/strict";
import { DenoGitRunner, gitEnvironment, type GitRunner } from "./runner.ts";
import { locateRepository } from "./locate.ts";
import { localBranchNames } from "./ref_files.ts";

async function tempRepo(): Promise<
  { dir: string; git: (...args: string[]) => Promise<void> } & AsyncDisposable
> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-locate-" }));
  const env = { ...gitEnvironment((name) => Deno.env.get(name)), GIT_CONFIG_NOSYSTEM: "1", HOME: dir };
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", { args, cwd: `${dir}/repo`, env, clearEnv: true }).output();
    if (out.code !== 0) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  };
  await Deno.mkdir(`${dir}/repo`);
  await git("init", "-q", "-b", "main");
  await git(
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.test",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "one",
  );
  return { dir, git, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function counting(): GitRunner & { calls: string[][] } {
  const inner = new DenoGitRunner();
  const calls: string[][] = [];
  return {
    calls,
    run(args, options) {
      calls.push([...args]);
      return inner.run(args, options);
    },
  };
}

Deno.test("locateRepository() takes a plain .git folder as it is, without a git process", async () => {
  await using repo = await tempRepo();
  const runner = counting();
  const found = await locateRepository(runner, { name: "repo", path: `${repo.dir}/repo`, autoPull: true });
  assert.ok(found.ok);
  assert.equal(found.location.gitDir, `${repo.dir}/repo/.git`);
  assert.equal(found.location.commonDir, `${repo.dir}/repo/.git`);
  assert.deepEqual(runner.calls, []);
});

Deno.test("locateRepository() asks git when the config moves the work tree or includes other files", async () => {
  for (const setting of [["core.worktree", "/elsewhere"], ["include.path", "other.config"]]) {
    await using repo = await tempRepo();
    await repo.git("config", setting[0]!, setting[1]!);
    const runner = counting();
    await locateRepository(runner, { name: "repo", path: `${repo.dir}/repo`, autoPull: true });
    assert.equal(runner.calls.length, 1, setting[0]);
    assert.equal(runner.calls[0]?.[0], "rev-parse");
  }
});

Deno.test("localBranchNames() reads loose and packed branches, nested names too", async () => {
  await using repo = await tempRepo();
  assert.deepEqual(await localBranchNames(`${repo.dir}/repo/.git`), ["main"]);
  await repo.git("branch", "feature/x");
  await repo.git("pack-refs", "--all");
  await repo.git("branch", "loose");
  assert.deepEqual((await localBranchNames(`${repo.dir}/repo/.git`))?.sort(), ["feature/x", "loose", "main"]);
});
