import assert from "node:assert/strict";
import { gitEnvironment } from "./runner.ts";
import { readTrackingRefs } from "./tracking_refs.ts";

/** A clone of an origin with branches `main`, `feature/deep/x` and `other`, fetched: its tracking refs. */
async function cloned(): Promise<
  { dir: string; git: (cwd: string, ...args: string[]) => Promise<string> } & AsyncDisposable
> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-tracking-" }));
  const env = { ...gitEnvironment((name) => Deno.env.get(name)), GIT_CONFIG_NOSYSTEM: "1", HOME: dir };
  const git = async (cwd: string, ...args: string[]) => {
    const out = await new Deno.Command("git", { args, cwd, env, clearEnv: true }).output();
    if (out.code !== 0) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  };
  await git(dir, "init", "-q", "--bare", "-b", "main", "origin.git");
  await git(dir, "clone", "-q", "origin.git", "work");
  const work = `${dir}/work`;
  const commit = (message: string) =>
    git(
      work,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.test",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      message,
    );
  await commit("one");
  await git(work, "push", "-q", "origin", "HEAD:main", "HEAD:refs/heads/feature/deep/x");
  await commit("two");
  await git(work, "push", "-q", "origin", "HEAD:other");
  await git(work, "remote", "set-head", "origin", "main");
  return { dir, git, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

async function fromGit(git: (cwd: string, ...args: string[]) => Promise<string>, work: string) {
  const out = await git(work, "for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes/origin/");
  return new Map(
    out.split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]).filter(([r]) =>
      r !== "refs/remotes/origin/HEAD"
    ),
  );
}

Deno.test("readTrackingRefs() reads what git reads, loose, packed, and loose over packed", async () => {
  await using repo = await cloned();
  const work = `${repo.dir}/work`;
  const loose = await readTrackingRefs(work, "origin");
  assert.deepEqual(loose, await fromGit(repo.git, work));
  assert.equal(loose?.size, 3);
  await repo.git(work, "pack-refs", "--all");
  assert.deepEqual(await readTrackingRefs(work, "origin"), await fromGit(repo.git, work));
  // A push after packing writes a loose ref that wins over the packed line of the same name.
  await repo.git(
    work,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.test",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "3",
  );
  await repo.git(work, "push", "-q", "origin", "HEAD:main");
  const after = await readTrackingRefs(work, "origin");
  assert.deepEqual(after, await fromGit(repo.git, work));
  assert.equal(after?.get("refs/remotes/origin/main"), (await repo.git(work, "rev-parse", "HEAD")).trim());
  assert.deepEqual(await readTrackingRefs(work, "nosuchremote"), new Map());
});

Deno.test("readTrackingRefs() leaves layouts it does not read to git: a linked worktree, reftable", async () => {
  await using repo = await cloned();
  const work = `${repo.dir}/work`;
  await repo.git(work, "worktree", "add", "-q", `${repo.dir}/linked`, "-b", "side");
  assert.equal(await readTrackingRefs(`${repo.dir}/linked`, "origin"), null);
  assert.equal(await readTrackingRefs(`${repo.dir}/nothing-here`, "origin"), null);
  await Deno.mkdir(`${work}/.git/reftable`);
  assert.equal(await readTrackingRefs(work, "origin"), null);
});
