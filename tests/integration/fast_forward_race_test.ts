/**
 * The user's own git commands race the fast-forward. Each round, new commits arrive on both upstreams while the
 * user switches branches, commits and undoes it, or stashes and pops, and the daemon logic fast-forwards. After
 * every round: no branch holds a commit of another branch's upstream, no commit reachable before is lost, the
 * index equals HEAD but for the user's own edit, and the worktree holds exactly the user's own changes.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { USER_QUIET_MS } from "../../src/sync/user_activity.ts";

const ROUNDS = 100;
const USER_RETRIES = 200;
const EDIT = "the user's unsaved edit\n";

/** Commits on a, one file each, pushed to `next-<branch>`: b replays them as arriving one per round. */
async function upstreamChain(fx: SyncFixture, branch: string, count: number): Promise<string[]> {
  await fx.a.git(REPO, "checkout", "-q", branch);
  const start = await fx.a.head(REPO);
  for (let i = 0; i < count; i++) {
    await fx.a.commitFile(REPO, `${branch}/${i}.txt`, `${branch} ${i}\n`, `${branch} ${i}`);
  }
  await fx.a.push(REPO, "origin", `HEAD:refs/heads/next-${branch}`);
  await fx.a.git(REPO, "reset", "-q", "--hard", start);
  return (await fx.a.git(REPO, "rev-list", "--reverse", `${start}..refs/remotes/origin/next-${branch}`))
    .split("\n");
}

/** True when it ran; false when a lock held by the daemon made it fail (`git stash` fails without a word). */
async function tryUser(fx: SyncFixture, ...args: string[]): Promise<boolean> {
  const { code, stdout, stderr } = await new Deno.Command("git", {
    args,
    cwd: fx.path,
    env: fx.b.env,
    clearEnv: true,
  }).output();
  if (code === 0) return true;
  const text = (new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout)).trim();
  if (text && !/index\.lock|stash entry is kept/.test(text)) {
    throw new Error(`git ${args.join(" ")}: ${text}`);
  }
  return false;
}

/** A git command of the user, run again as long as the daemon's lock is in the way. */
async function user(fx: SyncFixture, ...args: string[]): Promise<void> {
  for (let attempt = 0; attempt < USER_RETRIES; attempt++) if (await tryUser(fx, ...args)) return;
  throw new Error(`git ${args.join(" ")} kept finding index.lock`);
}

/** Stash and pop the README edit; a pop that applied but could not drop the entry is finished by hand. */
async function stashRoundTrip(fx: SyncFixture, readme: string): Promise<void> {
  const stashes = async () => (await fx.b.git(REPO, "stash", "list")).split("\n").filter(Boolean).length;
  for (let attempt = 0; (await stashes()) === 0; attempt++) {
    assert.ok(attempt < USER_RETRIES, "git stash kept failing");
    await tryUser(fx, "stash");
  }
  for (let attempt = 0; (await stashes()) > 0; attempt++) {
    assert.ok(attempt < USER_RETRIES, "git stash pop kept failing");
    if (await Deno.readTextFile(readme) === EDIT) await tryUser(fx, "stash", "drop");
    else await tryUser(fx, "stash", "pop");
  }
}

/** One of the user's habits per round, in turn. */
async function userRound(fx: SyncFixture, round: number): Promise<void> {
  switch (round % 3) {
    case 0:
      await user(fx, "checkout", "-q", "other");
      await user(fx, ...(round % 2 ? ["switch", "-q", "main"] : ["checkout", "-q", "main"]));
      break;
    case 1:
      await Deno.writeTextFile(join(fx.path, "scratch.txt"), `round ${round}\n`);
      await user(fx, "add", "scratch.txt");
      await user(fx, "commit", "-q", "-m", `user round ${round}`);
      await user(fx, "reset", "-q", "--soft", "HEAD~1");
      await user(fx, "reset", "-q");
      break;
    default:
      await stashRoundTrip(fx, join(fx.path, "README.md"));
  }
}

async function daemonRound(fx: SyncFixture): Promise<number> {
  let moves = 0;
  for (let i = 0; i < 2; i++) if ((await fx.fastForward()).result === "fast-forwarded") moves++;
  return moves;
}

function isAncestor(fx: SyncFixture, older: string, newer: string): Promise<boolean> {
  return new Deno.Command("git", {
    args: ["merge-base", "--is-ancestor", older, newer],
    cwd: fx.path,
    env: fx.b.env,
    clearEnv: true,
  }).output().then((r) => r.code === 0);
}

Deno.test("fast-forwards racing the user's own git commands never mix branches, lose commits or work", async () => {
  // The daemon's own wait for the user's git to be still (src/sync/user_activity.ts), as it runs.
  await using fx = await syncFixture({ quietMs: USER_QUIET_MS });
  await fx.a.git(REPO, "branch", "-q", "other");
  await fx.a.push(REPO, "-q", "origin", "other");
  const chains = {
    main: await upstreamChain(fx, "main", ROUNDS),
    other: await upstreamChain(fx, "other", ROUNDS),
  };
  await fx.b.git(REPO, "fetch", "-q");
  await fx.b.git(REPO, "branch", "-q", "--track", "other", "origin/other");
  const readme = join(fx.path, "README.md");
  await Deno.writeTextFile(readme, EDIT);
  await Deno.writeTextFile(join(fx.path, "scratch.txt"), "scratch\n");
  const tips = async () => ({
    main: await fx.b.git(REPO, "rev-parse", "main"),
    other: await fx.b.git(REPO, "rev-parse", "other"),
  });
  let previous = await tips();
  let moves = 0;

  for (let round = 0; round < ROUNDS; round++) {
    for (const branch of ["main", "other"] as const) {
      await fx.b.git(REPO, "update-ref", `refs/remotes/origin/${branch}`, chains[branch][round]!);
    }
    const [, moved] = await Promise.all([userRound(fx, round), daemonRound(fx)]);
    moves += moved;

    const where = `after round ${round}`;
    assert.equal(await fx.b.git(REPO, "symbolic-ref", "HEAD"), "refs/heads/main", where);
    const now = await tips();
    for (const branch of ["main", "other"] as const) {
      assert.ok(await isAncestor(fx, previous[branch], now[branch]), `${where}: ${branch} lost commits`);
      assert.ok(
        await isAncestor(fx, now[branch], `refs/remotes/origin/next-${branch}`),
        `${where}: ${branch} holds a commit that is not on its own upstream`,
      );
    }
    previous = now;
    // A stash pop cut short by a lock may leave the user's edit staged: still only the user's own change.
    const staged = await fx.b.git(REPO, "diff", "--cached", "--name-only");
    assert.ok(staged === "" || staged === "README.md", `${where}: the index differs from HEAD at ${staged}`);
    if (staged) assert.equal(await fx.b.git(REPO, "show", ":README.md"), EDIT.trim(), where);
    const entries = (await fx.b.git(REPO, "status", "--porcelain", "--untracked-files=all")).split("\n");
    assert.deepEqual(entries.map((e) => e.split(" ").pop()).sort(), ["README.md", "scratch.txt"], where);
    assert.equal(await Deno.readTextFile(readme), EDIT, where);
  }

  // Every automatic move of each branch went to a commit of that branch's own upstream.
  for (const branch of ["main", "other"] as const) {
    const log = await fx.b.git(REPO, "reflog", "show", "--format=%H %gs", `refs/heads/${branch}`);
    for (const line of log.split("\n").filter((l) => l.includes("gitargus: fast-forward"))) {
      const sha = line.split(" ")[0]!;
      assert.ok(await isAncestor(fx, sha, `refs/remotes/origin/next-${branch}`), `${branch} moved to ${sha}`);
    }
  }
  assert.ok(moves >= ROUNDS / 4, `the daemon moved only ${moves} times in ${ROUNDS} rounds`);
});
