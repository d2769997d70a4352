import assert from "node:assert/strict";
import { emptyChanges } from "../state/repo_status.ts";
import { dirty, hostReport, repo, report } from "./_testing.ts";
import { hostSummaries, needsAttention, onlyAttention, summaryLine } from "./summary.ts";

Deno.test("needsAttention() is true for work at risk and for clones that cannot follow", () => {
  const cases: Array<[string, Parameters<typeof repo>[1], boolean]> = [
    ["clean and current", {}, false],
    ["no upstream, nothing unpushed", { state: "NO_UPSTREAM", upstream: null }, false],
    ["uncommitted", { clean: false, changes: { ...emptyChanges(), untracked: 1 } }, true],
    ["ahead", { state: "AHEAD", ahead: 1 }, true],
    ["behind", { state: "BEHIND", behind: 1 }, true],
    ["diverged", { state: "DIVERGED", ahead: 1, behind: 1 }, true],
    ["detached", { state: "DETACHED", branch: null }, true],
    ["missing", { state: "MISSING", head: null }, true],
    ["failed", { state: "FAILED" }, true],
    ["stash", { stashes: 1 }, true],
    ["operation", { operation: "rebase" }, true],
    ["branch never pushed", { unpushedBranches: [{ name: "x", upstream: null, ahead: 1 }] }, true],
    ["checked-out branch on no remote", { state: "NO_UPSTREAM", upstream: null, unpushedCommits: 2 }, true],
  ];
  for (const [what, overrides, expected] of cases) {
    assert.equal(needsAttention({ repo: repo("r", overrides) }), expected, what);
  }
});

Deno.test("hostSummaries() counts repositories, attention, unpushed commits, stashes and uncommitted", () => {
  const [summary] = hostSummaries(report(hostReport("laptop", [
    repo("a"),
    dirty("b", { stashes: 2 }),
    repo("c", { state: "AHEAD", ahead: 3, unpushedBranches: [{ name: "x", upstream: null, ahead: 2 }] }),
    repo("d", { state: "NO_UPSTREAM", upstream: null, unpushedCommits: 1 }),
  ])));
  assert.deepEqual(summary, {
    hostname: "laptop",
    repositories: 4,
    attention: 3,
    unpushedCommits: 6,
    stashes: 2,
    uncommitted: 1,
  });
});

Deno.test("summaryLine() reads as one sentence with singulars and plurals", () => {
  assert.equal(
    summaryLine({
      hostname: "h",
      repositories: 1,
      attention: 1,
      unpushedCommits: 1,
      stashes: 1,
      uncommitted: 0,
    }),
    "h: 1 repository, 1 needs attention, 1 unpushed commit, 1 stash, 0 uncommitted",
  );
  assert.equal(
    summaryLine({
      hostname: "h",
      repositories: 12,
      attention: 2,
      unpushedCommits: 5,
      stashes: 3,
      uncommitted: 4,
    }),
    "h: 12 repositories, 2 need attention, 5 unpushed commits, 3 stashes, 4 uncommitted",
  );
});

Deno.test("onlyAttention() keeps every machine and only the repositories that need attention", () => {
  const filtered = onlyAttention(report(
    hostReport("a", [repo("quiet"), dirty("busy")]),
    hostReport("b", [repo("quiet")]),
  ));
  assert.deepEqual(filtered.hosts.map((h) => [h.hostname, h.repositories.map((r) => r.name)]), [
    ["a", ["busy"]],
    ["b", []],
  ]);
});
