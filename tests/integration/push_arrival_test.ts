/** Which remote-tracking refs show a push arriving, and when a wait is over, on real clones. */

import assert from "node:assert/strict";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, type RepoLocation } from "../../src/git/repo.ts";
import {
  normalizeUrl,
  pushWaits,
  readTrackingRefs,
  stillWaiting,
  targetsOf,
} from "../../src/git/push_arrival.ts";

const NEVER = "0123456789abcdef0123456789abcdef01234567";
const main = (sha = NEVER) => ({ ref: "refs/heads/main", sha });

async function clone(machine: Machine, repo = "repo1") {
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) });
  const found = await locateRepository(runner, { name: repo, path: machine.repoPath(repo), autoPull: true });
  assert.ok(found.ok);
  return { runner, location: found.location as RepoLocation };
}

Deno.test("normalizeUrl() treats the spellings of one remote alike", () => {
  const one = "host.example/team/repo";
  for (
    const url of [
      "git@host.example:team/repo.git",
      "ssh://git@host.example/team/repo",
      "https://host.example/team/repo/",
    ]
  ) {
    assert.equal(normalizeUrl(url), one, url);
  }
  assert.equal(normalizeUrl("/srv/git/repo.git"), normalizeUrl("file:///srv/git/repo"));
  assert.notEqual(normalizeUrl("git@host.example:team/other.git"), one);
});

Deno.test("pushWaits() maps a pushed branch to the tracking ref of a plain clone", async () => {
  await using ws = await gitWorkspace({ machines: ["b"], repositories: ["repo1"] });
  const { runner, location } = await clone(ws.machine("b"));
  assert.deepEqual(await pushWaits(runner, location, [main()], "origin"), [
    { ...main(), targets: ["refs/remotes/origin/main"] },
  ]);
});

Deno.test("pushWaits() waits for no tag, deletion or ref outside the refspecs", async () => {
  await using ws = await gitWorkspace({ machines: ["b"], repositories: ["repo1"] });
  const { runner, location } = await clone(ws.machine("b"));
  const refs = [
    { ref: "refs/tags/v1", sha: NEVER },
    { ref: "refs/heads/gone", sha: "0".repeat(40) },
    { ref: "refs/changes/01/1/1", sha: NEVER },
  ];
  assert.deepEqual(await pushWaits(runner, location, refs, "origin"), []);
});

Deno.test("pushWaits() waits for nothing a single-branch clone does not fetch", async () => {
  await using ws = await gitWorkspace({ machines: ["b"], repositories: ["repo1"] });
  const b = ws.machine("b");
  await b.git("repo1", "config", "remote.origin.fetch", "+refs/heads/main:refs/remotes/origin/main");
  const { runner, location } = await clone(b);
  const waits = await pushWaits(runner, location, [main(), { ref: "refs/heads/dev", sha: NEVER }], "origin");
  assert.deepEqual(targetsOf(waits), ["refs/remotes/origin/main"]);
});

Deno.test("pushWaits() picks the remote whose URL matches, else every remote a branch tracks", async () => {
  await using ws = await gitWorkspace({ machines: ["b"], repositories: ["repo1", "other"] });
  const b = ws.machine("b");
  await b.git("repo1", "remote", "rename", "origin", "upstream");
  await b.git("repo1", "remote", "add", "fork", ws.originPath("other"));
  await b.git("repo1", "remote", "add", "untracked", ws.originPath("other"));
  await b.git("repo1", "fetch", "--quiet", "fork");
  await b.git("repo1", "branch", "--quiet", "--track", "fork-main", "fork/main");
  const { runner, location } = await clone(b);
  const byUrl = await pushWaits(runner, location, [main()], ws.originPath("repo1"));
  assert.deepEqual(targetsOf(byUrl), ["refs/remotes/upstream/main"]);
  const byName = await pushWaits(runner, location, [main()], "origin");
  assert.deepEqual(targetsOf(byName).sort(), ["refs/remotes/fork/main", "refs/remotes/upstream/main"]);
  const toUntracked = await pushWaits(runner, location, [main()], ws.originPath("other"));
  assert.deepEqual(
    targetsOf(toUntracked),
    ["refs/remotes/fork/main"],
    "only remotes a branch tracks are fetched",
  );
});

Deno.test("stillWaiting() ends a wait at the sha, past it, or when the ref moved elsewhere, and not before", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
  const [a, b] = [ws.machine("a"), ws.machine("b")];
  const { runner, location } = await clone(b);
  const first = await a.commitFile("repo1", "f.txt", "1\n", "first");
  const second = await a.commitFile("repo1", "f.txt", "2\n", "second");
  await a.push("repo1");
  const waits = await pushWaits(runner, location, [main(first), main(NEVER)], "origin");
  const targets = targetsOf(waits);
  const before = await readTrackingRefs(runner, location, targets);
  assert.equal(
    (await stillWaiting(runner, location, waits, before, before)).length,
    2,
    "nothing fetched yet",
  );
  await b.git("repo1", "fetch", "--quiet");
  const now = await readTrackingRefs(runner, location, targets);
  assert.equal(now.get("refs/remotes/origin/main"), second);
  assert.deepEqual(
    await stillWaiting(runner, location, waits, before, now),
    [],
    "past one, elsewhere the other",
  );
  assert.deepEqual(
    (await stillWaiting(runner, location, waits, now, now)).map((w) => w.sha),
    [NEVER],
    "an unmoved ref that lacks the sha still waits",
  );
});
