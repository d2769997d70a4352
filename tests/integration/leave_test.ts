/** `gitargus leave` through the real CLI: each kind of work at risk, worded with its command, and exit codes. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";

const REPOS = ["clean", "dirty", "stashed", "branch", "ahead", "detached", "merging", "worktree"];

interface LeaveJson {
  atRisk: boolean;
  checked: number;
  unannounced: number;
  source: { mode: string; live: string[]; reason: string | null };
  repositories: Array<{
    name: string;
    path: string;
    risks: Array<{ kind: string; detail: string; commands: string[]; branch?: string; commits?: number }>;
    commands: string[];
  }>;
}

function leave(m: Machine, args: string[] = []): Promise<CliResult> {
  return runCli(["leave", ...args], { env: m.env, cwd: m.workspace });
}

async function atRiskEverywhere(m: Machine): Promise<void> {
  await Deno.writeTextFile(join(m.repoPath("dirty"), "README.md"), "edited\n");
  await Deno.writeTextFile(join(m.repoPath("dirty"), "new.txt"), "untracked\n");
  await Deno.writeTextFile(join(m.repoPath("stashed"), "README.md"), "stash me\n");
  await m.git("stashed", "stash", "--quiet");
  await m.git("branch", "switch", "--quiet", "-c", "topic");
  await m.commitFile("branch", "topic.txt", "t\n", "topic");
  await m.git("branch", "switch", "--quiet", "main");
  await m.commitFile("ahead", "more.txt", "m\n", "more");
  await m.git("detached", "switch", "--quiet", "--detach");
  await m.commitFile("detached", "loose.txt", "l\n", "loose");
  await m.git("merging", "switch", "--quiet", "-c", "side");
  await m.commitFile("merging", "README.md", "side\n", "side");
  await m.git("merging", "switch", "--quiet", "main");
  await m.commitFile("merging", "README.md", "main\n", "main");
  await m.git("merging", "merge", "side").catch(() => {});
  await m.git("worktree", "worktree", "add", "--quiet", "-b", "wt", "../worktree-wt");
  await Deno.writeTextFile(join(m.workspace, "worktree-wt", "wip.txt"), "wip\n");
}

Deno.test("leave says the machine can be left, exit 0, when nothing is at risk", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["clean"] });
  const a = ws.machine("a");
  await a.writeConfig({ notify: { desktop: false } });
  const result = await leave(a);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), "Nothing here is at risk: you can leave this machine.");
  assert.equal(result.stderr, "");
  const prompt = await leave(a, ["--local"]);
  assert.equal(prompt.code, 0, prompt.stderr);
  assert.equal(prompt.stdout, "");
});

Deno.test("leave lists every kind of work at risk with the command to run, and exits 1", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: REPOS });
  const a = ws.machine("a");
  await a.writeConfig({ notify: { desktop: false } });
  await atRiskEverywhere(a);

  const text = await leave(a);
  assert.equal(text.code, 1, text.stderr);
  assert.equal(text.stderr, "");
  const line = (repo: string) => text.stdout.split("\n").find((l) => l.startsWith(`${repo} `)) ?? "";
  assert.match(line("dirty"), /1~ 1\? uncommitted.*git -C dirty status/);
  assert.match(line("stashed"), /1 stash.*git -C stashed stash list/);
  assert.match(line("branch"), /topic \+1 never pushed.*git -C branch push -u origin topic/);
  assert.match(line("ahead"), /main \+1 unpushed.*git -C ahead push$/);
  assert.match(
    line("detached"),
    /1 commit on no branch or remote.*git -C detached switch -c keep-[0-9a-f]{7}/,
  );
  assert.match(line("merging"), /merge in progress.*git -C merging status/);
  assert.match(line("worktree"), /worktree \.\.\/worktree-wt \(wt\): 1\?.*git -C worktree-wt status/);
  assert.equal(line("clean"), "");
  assert.match(text.stdout, /7 repositories hold work no other machine can get\.\n$/);

  const json = await leave(a, ["--json"]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as LeaveJson;
  assert.equal(report.atRisk, true);
  assert.equal(report.checked, REPOS.length);
  assert.deepEqual(report.source, { mode: "live", live: REPOS, reason: null });
  const kinds = Object.fromEntries(report.repositories.map((r) => [r.name, r.risks.map((k) => k.kind)]));
  assert.deepEqual(kinds, {
    ahead: ["unpushed"],
    branch: ["never-pushed"],
    detached: ["detached"],
    dirty: ["uncommitted"],
    merging: ["operation", "uncommitted", "unpushed", "never-pushed"],
    stashed: ["stash"],
    worktree: ["worktree"],
  });
  const branch = report.repositories.find((r) => r.name === "branch")!;
  assert.deepEqual(branch.risks[0], {
    kind: "never-pushed",
    detail: "topic +1 never pushed",
    branch: "topic",
    commits: 1,
    commands: [`git -C ${a.repoPath("branch")} push -u origin topic`],
  });
  assert.equal(branch.path, a.repoPath("branch"));
});

Deno.test("leave --local reads git when there is no cache, says so on stderr, and prints one line", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: REPOS });
  const a = ws.machine("a");
  await a.writeConfig({ notify: { desktop: false } });
  await atRiskEverywhere(a);
  const result = await leave(a, ["--local"]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "⚠ 7 at risk\n");
  assert.equal(result.stderr, `gitargus: no cached state yet: read ${REPOS.length} repositories from git\n`);
});
