import assert from "node:assert/strict";
import { emptyChanges } from "../state/repo_status.ts";
import { matchesRepo } from "../config/repository_name.ts";
import { ago, dirty, hostRecord, hostReport, NOW, repo, report, snapshot } from "./_testing.ts";
import {
  age,
  buildReport,
  dirtySummary,
  hasLocalWork,
  isOnline,
  rows,
  type StatusReport,
} from "./status_report.ts";

function order(report: StatusReport, localHost: string | null = "local"): string[] {
  return rows(report, localHost).map((r) => `${r.host.hostname}:${r.repo.name}`);
}

Deno.test("isOnline() is true for a fresh heartbeat", () => {
  assert.equal(isOnline(hostRecord("h"), NOW), true);
});

Deno.test("isOnline() is false after three missed heartbeats", () => {
  const record = hostRecord("h", { heartbeatSeconds: 120 });
  assert.equal(isOnline({ ...record, heartbeatAt: ago(359) }, NOW), true);
  assert.equal(isOnline({ ...record, heartbeatAt: ago(361) }, NOW), false);
});

Deno.test("isOnline() waits at least three minutes for a short heartbeat period", () => {
  const record = hostRecord("h", { heartbeatSeconds: 10 });
  assert.equal(isOnline({ ...record, heartbeatAt: ago(170) }, NOW), true);
  assert.equal(isOnline({ ...record, heartbeatAt: ago(181) }, NOW), false);
});

Deno.test("isOnline() assumes a 60 s period when the record has none", () => {
  const record = hostRecord("h", { heartbeatSeconds: 0 });
  assert.equal(isOnline({ ...record, heartbeatAt: ago(179) }, NOW), true);
  assert.equal(isOnline({ ...record, heartbeatAt: ago(181) }, NOW), false);
});

Deno.test("isOnline() is false for a stopped host even with a fresh heartbeat", () => {
  assert.equal(isOnline(hostRecord("h", { heartbeatAt: ago(1), stoppedAt: ago(1) }), NOW), false);
});

Deno.test("isOnline() is false without a host record", () => {
  assert.equal(isOnline(undefined, NOW), false);
});

Deno.test("isOnline() is false for an unreadable heartbeat time", () => {
  assert.equal(isOnline(hostRecord("h", { heartbeatAt: "not a date" }), NOW), false);
});

Deno.test("buildReport() lists every host with its repositories, sorted", () => {
  const built = buildReport(
    snapshot([hostRecord("zeta"), hostRecord("alpha")], {
      zeta: [repo("b"), repo("a")],
      alpha: [repo("c")],
    }),
    NOW,
  );
  assert.equal(built.generatedAt, NOW.toISOString());
  assert.deepEqual(built.hosts.map((h) => h.hostname), ["alpha", "zeta"]);
  assert.deepEqual(built.hosts[1]!.repositories.map((r) => r.name), ["a", "b"]);
});

Deno.test("buildReport() copies the host record's heartbeat, stop time and version", () => {
  const built = buildReport(
    snapshot([hostRecord("h", { heartbeatAt: ago(5), stoppedAt: ago(2), version: "9.9.9" })], {}),
    NOW,
  );
  assert.deepEqual(built.hosts, [{
    hostname: "h",
    heartbeatAt: ago(5),
    online: false,
    stoppedAt: ago(2),
    version: "9.9.9",
    mode: null,
    eventVersion: null,
    repositories: [],
  }]);
});

Deno.test("buildReport() keeps a host without record as offline", () => {
  const built = buildReport(snapshot([], { ghost: [repo("a")] }), NOW);
  assert.equal(built.hosts.length, 1);
  assert.equal(built.hosts[0]!.online, false);
  assert.equal(built.hosts[0]!.heartbeatAt, null);
  assert.equal(built.hosts[0]!.version, null);
});

Deno.test("buildReport() keeps a host without repositories", () => {
  const built = buildReport(snapshot([hostRecord("empty")], {}), NOW);
  assert.deepEqual(built.hosts.map((h) => [h.hostname, h.repositories.length]), [["empty", 0]]);
});

Deno.test("buildReport() filters by host", () => {
  const built = buildReport(
    snapshot([hostRecord("a"), hostRecord("b")], { a: [repo("x")], b: [repo("x")] }),
    NOW,
    {
      host: "b",
    },
  );
  assert.deepEqual(built.hosts.map((h) => h.hostname), ["b"]);
});

Deno.test("buildReport() gives no hosts for an unknown host filter", () => {
  assert.deepEqual(
    buildReport(snapshot([hostRecord("a")], { a: [repo("x")] }), NOW, { host: "zz" }).hosts,
    [],
  );
});

Deno.test("buildReport() filters by the full repository name", () => {
  const built = buildReport(
    snapshot([hostRecord("h")], {
      h: [repo("project1/repo1"), repo("project2/repo1"), repo("project1/other")],
    }),
    NOW,
    { repo: "project1/repo1" },
  );
  assert.deepEqual(built.hosts[0]!.repositories.map((r) => r.name), ["project1/repo1"]);
});

Deno.test("buildReport() filters by the last part of the repository name", () => {
  const built = buildReport(
    snapshot([hostRecord("h")], {
      h: [repo("project1/repo1"), repo("project2/repo1"), repo("project1/other")],
    }),
    NOW,
    { repo: "repo1" },
  );
  assert.deepEqual(built.hosts[0]!.repositories.map((r) => r.name), ["project1/repo1", "project2/repo1"]);
});

Deno.test("buildReport() leaves out hosts without a matching repository", () => {
  const built = buildReport(
    snapshot([hostRecord("a"), hostRecord("b")], { a: [repo("x")], b: [repo("y")] }),
    NOW,
    { repo: "y" },
  );
  assert.deepEqual(built.hosts.map((h) => h.hostname), ["b"]);
});

Deno.test("buildReport() combines the host and repository filters", () => {
  const built = buildReport(
    snapshot([hostRecord("a"), hostRecord("b")], { a: [repo("x"), repo("y")], b: [repo("x")] }),
    NOW,
    { host: "a", repo: "x" },
  );
  assert.deepEqual(built.hosts.map((h) => [h.hostname, h.repositories.map((r) => r.name)]), [["a", ["x"]]]);
});

Deno.test("buildReport() does not change the snapshot", () => {
  const list = [repo("b"), repo("a")];
  buildReport(snapshot([hostRecord("h")], { h: list }), NOW);
  assert.deepEqual(list.map((r) => r.name), ["b", "a"]);
});

Deno.test("matchesRepo() takes the full name, the last part, or nothing", () => {
  assert.equal(matchesRepo("project1/repo1", undefined), true);
  assert.equal(matchesRepo("project1/repo1", "project1/repo1"), true);
  assert.equal(matchesRepo("project1/repo1", "repo1"), true);
  assert.equal(matchesRepo("repo1", "repo1"), true);
  assert.equal(matchesRepo("project1/repo1", "project1"), false);
  assert.equal(matchesRepo("project1/repo1", "repo"), false);
  assert.equal(matchesRepo("project1/repo1", "1/repo1"), false);
});

Deno.test("rows() puts local work on an offline machine first of all", () => {
  const built = report(
    hostReport("local", [repo("a", { state: "DIVERGED" })]),
    hostReport("online", [dirty("b")]),
    hostReport("offline", [dirty("c")], false),
  );
  assert.deepEqual(order(built), ["offline:c", "online:b", "local:a"]);
});

Deno.test("rows() ranks a dirty repository on another online machine before a diverged one", () => {
  const built = report(
    hostReport("local", [repo("a", { state: "DIVERGED" })]),
    hostReport("other", [dirty("z")]),
  );
  assert.deepEqual(order(built), ["other:z", "local:a"]);
});

Deno.test("rows() ranks an up-to-date repository last", () => {
  const built = report(
    hostReport("local", [
      repo("a"),
      repo("b", { state: "BEHIND", behind: 2 }),
      repo("c", { state: "NO_UPSTREAM" }),
    ]),
  );
  assert.deepEqual(order(built), ["local:b", "local:c", "local:a"]);
});

Deno.test("rows() treats ahead commits, stashes and unpushed branches elsewhere as local work", () => {
  const built = report(
    hostReport("local", [repo("a", { state: "FAILED", error: "boom" })]),
    hostReport("other", [
      repo("b", { state: "AHEAD", ahead: 1 }),
      repo("c", { stashes: 1 }),
      repo("d", { unpushedBranches: [{ name: "wip", upstream: null, ahead: 3 }] }),
    ]),
  );
  assert.deepEqual(order(built), ["other:b", "other:c", "other:d", "local:a"]);
});

Deno.test("rows() ranks problems before an offline machine without work", () => {
  const built = report(
    hostReport("local", [repo("a", { operation: "rebase" }), repo("b", { state: "FAILED" })]),
    hostReport("offline", [repo("c")], false),
  );
  assert.deepEqual(order(built), ["local:a", "local:b", "offline:c"]);
});

Deno.test("rows() ranks conflicts with the problems", () => {
  const conflicted = repo("z", { clean: false, changes: { ...emptyChanges(), conflicted: 1 } });
  const built = report(hostReport("local", [repo("a", { state: "BEHIND" }), conflicted]));
  assert.deepEqual(order(built), ["local:z", "local:a"]);
});

Deno.test("rows() ranks this machine's own dirty repository after offline machines", () => {
  const built = report(hostReport("local", [dirty("a")]), hostReport("offline", [repo("b")], false));
  assert.deepEqual(order(built), ["offline:b", "local:a"]);
});

Deno.test("rows() ranks a dirty repository before a behind, missing or detached one", () => {
  const built = report(hostReport("local", [
    repo("a", { state: "MISSING" }),
    repo("b", { state: "DETACHED", branch: null }),
    repo("c", { state: "BEHIND" }),
    dirty("d"),
  ]));
  assert.deepEqual(order(built), ["local:d", "local:a", "local:b", "local:c"]);
});

Deno.test("rows() treats every machine as another one without a local host", () => {
  const built = report(hostReport("local", [repo("a", { state: "DIVERGED" }), dirty("b")]));
  assert.deepEqual(order(built, null), ["local:b", "local:a"]);
});

Deno.test("rows() orders equal ranks by repository, then by machine", () => {
  const built = report(
    hostReport("m2", [repo("b"), repo("a")]),
    hostReport("m1", [repo("b"), repo("a")]),
  );
  assert.deepEqual(order(built), ["m1:a", "m2:a", "m1:b", "m2:b"]);
});

Deno.test("rows() gives no rows for an empty report", () => {
  assert.deepEqual(rows(report(), "local"), []);
  assert.deepEqual(rows(report(hostReport("h", [])), "local"), []);
});

Deno.test("rows() notes an offline and a stopped machine", () => {
  const offline = hostReport("a", [repo("x")], false);
  const stopped = { ...hostReport("b", [repo("y")], false), stoppedAt: ago(60) };
  const notes = rows(report(offline, stopped), "local").map((r) => r.notes);
  assert.deepEqual(notes, [["machine offline"], ["machine stopped"]]);
});

Deno.test("rows() notes operation, stashes, unpushed branches and error", () => {
  const [row] = rows(
    report(hostReport("local", [
      repo("a", {
        state: "FAILED",
        operation: "merge",
        stashes: 2,
        unpushedBranches: [{ name: "wip", upstream: "origin/wip", ahead: 3 }],
        error: "cannot read HEAD",
      }),
    ])),
    "local",
  );
  assert.deepEqual(row!.notes, ["merge in progress", "2 stashes", "wip +3 unpushed", "cannot read HEAD"]);
});

Deno.test("rows() says stash in the singular for one stash", () => {
  const [row] = rows(report(hostReport("local", [repo("a", { stashes: 1 })])), "local");
  assert.deepEqual(row!.notes, ["1 stash"]);
});

Deno.test("rows() notes why a behind repository was not fast-forwarded", () => {
  const blocked = repo("a", {
    state: "BEHIND",
    sync: { at: ago(5), result: "blocked", reason: "dirty worktree" },
  });
  const failed = repo("b", { state: "BEHIND", sync: { at: ago(5), result: "failed" } });
  const done = repo("c", { state: "UP_TO_DATE", sync: { at: ago(5), result: "blocked", reason: "old" } });
  const notes = rows(report(hostReport("local", [blocked, failed, done])), "local").map((r) => r.notes);
  assert.deepEqual(notes, [["not fast-forwarded: dirty worktree"], ["not fast-forwarded: failed"], []]);
});

Deno.test("hasLocalWork() is false for a clean, pushed repository", () => {
  assert.equal(hasLocalWork(repo("a")), false);
  assert.equal(hasLocalWork(repo("a", { state: "BEHIND", behind: 3 })), false);
});

Deno.test("hasLocalWork() is true for changes, ahead commits, stashes or unpushed branches", () => {
  assert.equal(hasLocalWork(dirty("a")), true);
  assert.equal(hasLocalWork(repo("a", { ahead: 1 })), true);
  assert.equal(hasLocalWork(repo("a", { stashes: 1 })), true);
  assert.equal(
    hasLocalWork(repo("a", { unpushedBranches: [{ name: "x", upstream: null, ahead: 1 }] })),
    true,
  );
});

Deno.test("age() shows a dash without a time", () => {
  assert.equal(age(null, NOW), "-");
});

Deno.test("age() shows seconds below a minute", () => {
  assert.equal(age(ago(0), NOW), "0s");
  assert.equal(age(ago(3), NOW), "3s");
  assert.equal(age(ago(59), NOW), "59s");
});

Deno.test("age() shows whole minutes below an hour", () => {
  assert.equal(age(ago(60), NOW), "1m");
  assert.equal(age(ago(5 * 60 + 59), NOW), "5m");
  assert.equal(age(ago(3599), NOW), "59m");
});

Deno.test("age() shows whole hours below a day", () => {
  assert.equal(age(ago(3600), NOW), "1h");
  assert.equal(age(ago(2 * 3600 + 3599), NOW), "2h");
  assert.equal(age(ago(86399), NOW), "23h");
});

Deno.test("age() shows whole days from one day on", () => {
  assert.equal(age(ago(86400), NOW), "1d");
  assert.equal(age(ago(4 * 86400 + 7), NOW), "4d");
  assert.equal(age(ago(400 * 86400), NOW), "400d");
});

Deno.test("age() rounds to the nearest second", () => {
  assert.equal(age(new Date(NOW.getTime() - 59_600).toISOString(), NOW), "1m");
  assert.equal(age(new Date(NOW.getTime() - 2_400).toISOString(), NOW), "2s");
});

Deno.test("age() shows 0s for a time in the future", () => {
  assert.equal(age(ago(-120), NOW), "0s");
});

Deno.test("dirtySummary() says clean without changes", () => {
  assert.equal(dirtySummary(repo("a")), "clean");
});

Deno.test("dirtySummary() lists staged, unstaged, untracked and conflicted counts", () => {
  const changes = { ...emptyChanges(), staged: 2, unstaged: 1, untracked: 3, conflicted: 1 };
  assert.equal(dirtySummary(repo("a", { clean: false, changes })), "2+ 1~ 3? 1!");
});

Deno.test("dirtySummary() leaves out zero counts", () => {
  assert.equal(dirtySummary(repo("a", { changes: { ...emptyChanges(), untracked: 4 } })), "4?");
  assert.equal(
    dirtySummary(repo("a", { changes: { ...emptyChanges(), staged: 1, conflicted: 2 } })),
    "1+ 2!",
  );
});

Deno.test("rows() notes branches never pushed, upstreams gone and the checked-out branch on no remote", () => {
  const [row] = rows(
    report(hostReport("local", [
      repo("a", {
        state: "NO_UPSTREAM",
        upstream: null,
        unpushedCommits: 1,
        unpushedBranches: [
          { name: "idea", upstream: null, ahead: 2 },
          { name: "old", upstream: "origin/old", ahead: 1, gone: true },
        ],
      }),
    ])),
    "local",
  );
  assert.deepEqual(row!.notes, [
    "1 commit on no remote",
    "idea +2 never pushed",
    "old +1 unpushed (upstream gone)",
  ]);
});

Deno.test("rows() ranks a repository whose only risk is commits on no remote as local work", () => {
  const atRisk = repo("z", { state: "NO_UPSTREAM", upstream: null, unpushedCommits: 3 });
  const safe = repo("a", { state: "NO_UPSTREAM", upstream: null, unpushedCommits: 0 });
  assert.deepEqual(order(report(hostReport("local", [safe, atRisk]))), ["local:z", "local:a"]);
});

Deno.test("rows() notes a detached HEAD's commits on no branch or remote", () => {
  const [row] = rows(
    report(
      hostReport("local", [
        repo("a", { state: "DETACHED", branch: null, upstream: null, unpushedCommits: 2 }),
      ]),
    ),
    "local",
  );
  assert.deepEqual(row!.notes, ["2 commits on no branch or remote"]);
});

Deno.test("rows() notes a behind repository held back by a setting, not only by a blocker", () => {
  const off = repo("a", {
    state: "BEHIND",
    behind: 1,
    sync: { at: ago(5), result: "skipped", reason: "autoPull is off" },
  });
  assert.deepEqual(rows(report(hostReport("local", [off])), "local")[0]!.notes, [
    "not fast-forwarded: autoPull is off",
  ]);
});

Deno.test("rows() says policy for branches the autoPull policy left behind", () => {
  const current = repo("a", {
    state: "BEHIND",
    behind: 1,
    sync: { at: ago(5), result: "skipped", reason: "policy: autoPull is others" },
  });
  const others = repo("b", {
    sync: {
      at: ago(5),
      result: "skipped",
      reason: "policy: autoPull is current (not moved: topic, wip)",
      policyHeld: ["topic", "wip"],
    },
  });
  const many = repo("c", {
    sync: { at: ago(5), result: "skipped", reason: "policy", policyHeld: ["a", "b", "c", "d", "e"] },
  });
  const notes = rows(report(hostReport("local", [current, others, many])), "local").map((r) => r.notes);
  assert.deepEqual(notes, [
    ["not fast-forwarded: policy: autoPull is others"],
    ["policy: topic, wip behind"],
    ["policy: a, b, c and 2 more behind"],
  ]);
});

Deno.test("rows() offer another machine's work in progress with the command that restores it here", () => {
  const saved = { commit: "c".repeat(40), base: "b".repeat(40), savedAt: ago(60) };
  const built = report(
    hostReport("local", [repo("p/api", { wip: [{ ...saved, branch: "main", files: 1 }] })]),
    hostReport("laptop", [
      repo("p/api", {
        wip: [{ ...saved, branch: "main", files: 3 }, { ...saved, branch: "it's", files: 2 }],
      }),
    ]),
  );
  const notes = Object.fromEntries(rows(built, "local").map((r) => [r.host.hostname, r.notes]));
  assert.deepEqual(notes.local, ["wip of main (1 file) saved"]);
  assert.deepEqual(notes.laptop, [
    "wip of main (3 files): gitargus wip restore laptop p/api --branch main",
    `wip of it's (2 files): gitargus wip restore laptop p/api --branch 'it'"'"'s'`,
  ]);
});
