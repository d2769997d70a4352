/**
 * The `status` table, read on one machine, against another machine's repositories in every state: each row's
 * state, counts and notes say what git says, branches never pushed and linked worktrees included.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet } from "../helpers/fleet.ts";

const REPOS = [
  "clean",
  "ahead",
  "behind",
  "diverged",
  "never-pushed",
  "detached",
  "dirty",
  "stashed",
  "rebasing",
  "side-branches",
  "worktree",
  "missing",
  "broken-remote",
];

Deno.test("status shows every state of another machine's repositories truthfully", async () => {
  await using f = await fleet({
    machines: ["a", "b", "c"],
    repositories: REPOS,
    setupAws: true,
    // behind: a must not fast-forward it, so the row shows BEHIND.
    config: (m) =>
      m === "a"
        ? { repositories: REPOS.map((name) => name === "behind" ? { name, autoPull: false } : name) }
        : {},
  });
  const a = f.machine("a");
  const c = f.machine("c");
  const ws = a.workspace;

  await a.commitFile("ahead", "local.txt", "1\n", "local");
  await c.commitFile("behind", "c.txt", "c\n", "c pushes");
  await c.push("behind");
  await c.commitFile("diverged", "README.md", "c\n", "c pushes");
  await c.push("diverged");
  await a.commitFile("diverged", "mine.txt", "a\n", "a commits");
  await a.git("never-pushed", "switch", "--quiet", "-c", "spike");
  await a.commitFile("never-pushed", "spike.txt", "1\n", "spike 1");
  await a.commitFile("never-pushed", "spike.txt", "2\n", "spike 2");
  await a.git("detached", "switch", "--quiet", "--detach");
  await a.commitFile("detached", "loose.txt", "x\n", "loose commit");
  await Deno.writeTextFile(join(a.repoPath("dirty"), "README.md"), "edited\n");
  await Deno.writeTextFile(join(a.repoPath("dirty"), "new.txt"), "new\n");
  await Deno.writeTextFile(join(a.repoPath("stashed"), "README.md"), "stash me\n");
  await a.git("stashed", "stash", "push", "--quiet");
  await a.git("rebasing", "switch", "--quiet", "-c", "topic");
  await a.commitFile("rebasing", "README.md", "topic\n", "topic edit");
  await a.git("rebasing", "switch", "--quiet", "main");
  await a.commitFile("rebasing", "README.md", "main\n", "main edit");
  await a.git("rebasing", "switch", "--quiet", "topic");
  await a.git("rebasing", "rebase", "main").catch(() => {}); // stops on the conflict
  await a.git("side-branches", "switch", "--quiet", "-c", "idea");
  await a.commitFile("side-branches", "idea.txt", "1\n", "idea");
  await a.git("side-branches", "switch", "--quiet", "-c", "shared", "main");
  await a.commitFile("side-branches", "shared.txt", "1\n", "shared");
  await a.push("side-branches", "--quiet", "-u", "origin", "shared");
  await a.commitFile("side-branches", "shared.txt", "2\n", "shared, local only");
  await a.git("side-branches", "switch", "--quiet", "main");
  const worktree = join(ws, "worktree-feature");
  await a.git("worktree", "worktree", "add", "--quiet", "-b", "feature", worktree);
  await Deno.writeTextFile(join(worktree, "draft.txt"), "draft\n");
  await Deno.remove(a.repoPath("missing"), { recursive: true });
  await a.git("broken-remote", "remote", "set-url", "origin", join(ws, "no-such-origin.git"));

  // a records its state once; c reads the table.
  await f.cli("a", ["run", "--once"]);
  const result = await f.ok("c", ["status", "--host", "a"], { env: { NO_COLOR: "1" } });
  const row = (name: string) => {
    const line = result.stdout.split("\n").find((l) => l.startsWith(`${name} `));
    assert.ok(line, `no row for ${name}:\n${result.stdout}`);
    return line.replace(/\s+/g, " ");
  };

  assert.match(row("clean"), /^clean a main UP_TO_DATE clean \S+$/);
  assert.match(row("ahead"), /^ahead a main AHEAD ↑1 ↓0 clean \S+$/);
  assert.match(row("behind"), /^behind a main BEHIND ↑0 ↓1 clean \S+ not fast-forwarded: autoPull is off$/);
  assert.match(row("diverged"), /^diverged a main DIVERGED ↑1 ↓1 clean /);
  assert.match(row("never-pushed"), /^never-pushed a spike NO_UPSTREAM clean \S+ 2 commits on no remote$/);
  assert.match(
    row("detached"),
    /^detached a \([0-9a-f]{7}\) DETACHED clean \S+ 1 commit on no branch or remote$/,
  );
  assert.match(row("dirty"), /^dirty a main UP_TO_DATE 1~ 1\? /);
  assert.match(row("stashed"), /^stashed a main UP_TO_DATE clean \S+ 1 stash$/);
  assert.match(row("rebasing"), / DETACHED 1! \S+ rebase in progress/);
  assert.match(row("side-branches"), /idea \+1 never pushed/);
  assert.match(row("side-branches"), /shared \+1 unpushed/);
  assert.match(
    row("worktree"),
    /^worktree a main UP_TO_DATE clean \S+ worktree \.\.\/worktree-feature \(feature\): 1\?$/,
  );
  assert.match(row("missing"), /^missing a - MISSING - \S+ .*does not exist/);
  assert.match(row("broken-remote"), /^broken-remote a main FAILED clean \S+ fetch failed: /);
  assert.doesNotMatch(row("broken-remote"), /--end-of-options|--quiet/);

  // What needs attention comes first; quiet repositories last.
  const order = result.stdout.split("\n").filter((l) => REPOS.some((r) => l.startsWith(`${r} `)))
    .map((l) => l.split(/\s+/)[0]);
  assert.equal(order.at(-1), "clean");
  assert.match(
    result.stdout,
    /^a: 13 repositories, 12 need attention, \d+ unpushed commits, 1 stash, \d+ uncommitted$/m,
  );
});
