/**
 * The invariants of the data-safety test, checked with plain git and raw file bytes, never with the code under
 * test: (1) nothing reachable before is lost, (2) local files and index entries stay as the user left them,
 * (3) a branch moves exactly when moving it was safe, (4) the recorded state is what git says.
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RepoStatus } from "../../src/state/repo_status.ts";
import { pathsOverlap, type Situation } from "./safety_scenarios.ts";
import { spawnGit } from "./git_fixture.ts";

export class PlainGit {
  constructor(readonly env: Record<string, string>) {}

  run(
    cwd: string,
    args: string[],
    options: { stdin?: string; allowFailure?: boolean; env?: Record<string, string> } = {},
  ): Promise<{ code: number; stdout: string }> {
    const { env, ...rest } = options;
    return spawnGit(args, cwd, { ...this.env, ...env }, rest);
  }

  async out(cwd: string, ...args: string[]): Promise<string> {
    return (await this.run(cwd, args)).stdout.trim();
  }
}

export interface WorktreeView {
  /** path -> "<mode> <blob sha>" of the bytes on disk. */
  files: Map<string, string>;
  /** path -> "<mode> <sha> <stage>" for every index entry of that path. */
  index: Map<string, string>;
  origHead: string | null;
}

export interface Snapshot {
  headBranch: string | null;
  headSha: string;
  /** Local branch -> sha and full upstream ref. */
  branches: Map<string, { sha: string; upstream: string | null }>;
  reachable: Set<string>;
  stashes: string[];
  /** Keyed by worktree folder; the main worktree first. */
  worktrees: Map<string, WorktreeView>;
  /** Every path of the main worktree with a local change of any kind, ignored files included. */
  localPaths: string[];
  upstream: string | null;
  tracked: boolean;
  ahead: number;
  behind: number;
}

export async function observe(git: PlainGit, main: string, linked: string[]): Promise<Snapshot> {
  const reachable = new Set<string>();
  const worktrees = new Map<string, WorktreeView>();
  // --all and --reflog cover the HEADs and reflogs of every worktree.
  const listed = await git.out(main, "rev-list", "--all", "--reflog", "HEAD");
  for (const sha of listed.split("\n").filter(Boolean)) reachable.add(sha);
  for (const dir of [main, ...linked]) worktrees.set(dir, await observeWorktree(git, dir));
  for (const view of worktrees.values()) if (view.origHead) reachable.add(view.origHead);
  const branches = new Map<string, { sha: string; upstream: string | null }>();
  const refs = await git.out(
    main,
    "for-each-ref",
    "--format=%(refname:short)%00%(objectname)%00%(upstream)",
    "refs/heads",
  );
  for (const line of refs.split("\n").filter(Boolean)) {
    const [name = "", sha = "", upstream = ""] = line.split("\0");
    branches.set(name, { sha, upstream: upstream || null });
  }
  const status = await mainStatus(git, main);
  const stashLog = await Deno.readTextFile(join(main, ".git", "logs", "refs", "stash")).catch(() => "");
  return {
    ...status,
    branches,
    reachable,
    stashes: stashLog.split("\n").filter(Boolean).map((line) => line.split(" ")[1]!),
    worktrees,
  };
}

async function observeWorktree(git: PlainGit, dir: string): Promise<WorktreeView> {
  const index = new Map<string, string>();
  for (const record of (await git.out(dir, "ls-files", "-s", "-z")).split("\0").filter(Boolean)) {
    const tab = record.indexOf("\t");
    const path = record.slice(tab + 1);
    const entry = record.slice(0, tab);
    index.set(path, index.has(path) ? `${index.get(path)}, ${entry}` : entry);
  }
  const origHead = await Deno.readTextFile(join(await gitDirOf(dir), "ORIG_HEAD")).then(
    (t) => t.trim(),
    () => null,
  );
  return { files: await hashFiles(dir), index, origHead };
}

/** A linked worktree's `.git` is a file naming its git dir; the main worktree's is the folder itself. */
async function gitDirOf(dir: string): Promise<string> {
  const dotGit = join(dir, ".git");
  if ((await Deno.lstat(dotGit)).isDirectory) return dotGit;
  const pointer = /^gitdir: (.*)$/m.exec(await Deno.readTextFile(dotGit))?.[1];
  if (!pointer) throw new Error(`"${dotGit}" does not name a git dir`);
  return pointer;
}

/** Every file below the worktree, by git's blob hash of its raw bytes, untracked and ignored ones too. */
async function hashFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const stack = [""];
  for (let guard = 0; stack.length > 0 && guard < 10_000; guard++) {
    const dir = stack.pop()!;
    for await (const entry of Deno.readDir(join(root, dir))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (path === ".git") continue;
      if (entry.isDirectory) stack.push(path);
      else if (entry.isSymlink) {
        files.set(
          path,
          `120000 ${blobHash(new TextEncoder().encode(await Deno.readLink(join(root, path))))}`,
        );
      } else {
        const info = await Deno.lstat(join(root, path));
        const mode = (info.mode ?? 0) & 0o100 ? "100755" : "100644";
        files.set(path, `${mode} ${blobHash(await Deno.readFile(join(root, path)))}`);
      }
    }
  }
  return files;
}

function blobHash(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** One `git status` of the main worktree: HEAD, upstream, ahead/behind and every changed path. */
async function mainStatus(git: PlainGit, dir: string) {
  const { stdout } = await git.run(dir, [
    "--no-optional-locks",
    "status",
    "--porcelain=v2",
    "--branch",
    "-z",
    "--untracked-files=all",
    "--ignored=matching",
    "--no-renames",
  ]);
  const view = {
    headBranch: null as string | null,
    headSha: "",
    upstream: null as string | null,
    /** The upstream exists, so ahead and behind mean something. */
    tracked: false,
    ahead: 0,
    behind: 0,
    localPaths: [] as string[],
  };
  const spaces: Record<string, number> = { "1": 8, "u": 10, "?": 1, "!": 1 };
  for (const record of stdout.split("\0").filter(Boolean)) {
    const [, key, value = ""] = /^# (\S+) ?(.*)$/.exec(record) ?? [];
    if (key === "branch.oid") view.headSha = value;
    else if (key === "branch.head") view.headBranch = value === "(detached)" ? null : value;
    else if (key === "branch.upstream") view.upstream = value;
    else if (key === "branch.ab") {
      view.tracked = true;
      [view.ahead = 0, view.behind = 0] = value.split(" ").map((n) => Math.abs(Number(n)));
    } else if (key === undefined) {
      const skip = spaces[record[0]!];
      if (skip === undefined) continue;
      let at = 0;
      for (let n = 0; n < skip; n++) at = record.indexOf(" ", at) + 1;
      view.localPaths.push(record.slice(at).replace(/\/$/, ""));
    }
  }
  return view;
}

/** What the origin held before the event, and git's answers about it once the event fetched it. */
export interface BranchFacts {
  before: string;
  target: string | null;
  strictlyBehind: boolean;
  /** The upstream has commits the branch lacks (a refusal must then be reported). */
  needsMove: boolean;
  /** For the checked-out branch: paths that differ between it and its upstream. */
  incomingPaths: string[];
  /** For the checked-out branch: incoming path -> "<mode> <sha>" in the upstream, unless deleted there. */
  targetTree: Map<string, string>;
}

export async function branchFacts(
  git: PlainGit,
  main: string,
  before: Snapshot,
  originTips: Map<string, string>,
): Promise<Map<string, BranchFacts>> {
  const facts = new Map<string, BranchFacts>();
  for (const [name, { sha, upstream }] of before.branches) {
    const remoteBranch = upstream?.replace(/^refs\/remotes\/origin\//, "refs/heads/");
    const target = remoteBranch ? originTips.get(remoteBranch) ?? null : null;
    const fact: BranchFacts = {
      before: sha,
      target,
      strictlyBehind: false,
      needsMove: false,
      incomingPaths: [],
      targetTree: new Map(),
    };
    if (target && target !== sha) {
      const counts = await git.out(main, "rev-list", "--left-right", "--count", `${sha}...${target}`);
      const [localOnly = 0, incomingOnly = 0] = counts.split(/\s+/).map(Number);
      fact.strictlyBehind = localOnly === 0 && incomingOnly > 0;
      fact.needsMove = incomingOnly > 0;
    }
    if (fact.strictlyBehind && name === before.headBranch) {
      // Raw records: ":<old mode> <new mode> <old sha> <new sha> <status>", then the path.
      const raw = await git.out(main, "diff", "--no-renames", "--raw", "--no-abbrev", "-z", sha, target!);
      const fields = raw.split("\0");
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const [, mode = "", , object = "", status] = fields[i]!.split(" ");
        const path = fields[i + 1]!;
        fact.incomingPaths.push(path);
        if (status !== "D") fact.targetTree.set(path, `${mode} ${object}`);
      }
    }
    facts.set(name, fact);
  }
  return facts;
}

/** Why moving the branch would not be safe, from the generated situation and git's facts; empty when safe. */
export function refusals(branch: string, s: Situation, before: Snapshot, fact: BranchFacts): string[] {
  const reasons: string[] = [];
  if (s.indexLock) reasons.push("index.lock in the main worktree");
  if (s.operation && s.head === branch) reasons.push(`${s.operation} in progress on it`);
  const linked = s.worktrees.find((w) => w.branch === branch);
  if (linked) {
    reasons.push(`checked out in a linked worktree${linked.operation ? ` (${linked.operation})` : ""}`);
  }
  if (!fact.target) reasons.push("no upstream");
  else if (!fact.strictlyBehind) {
    reasons.push(fact.target === fact.before ? "up to date" : "not strictly behind");
  }
  if (branch === before.headBranch) {
    const overlap = fact.incomingPaths.filter((p) => before.localPaths.some((l) => pathsOverlap(p, l)));
    if (overlap.length) reasons.push(`incoming paths with local changes: ${overlap.join(", ")}`);
  }
  return reasons;
}

export function judge(
  s: Situation,
  before: Snapshot,
  after: Snapshot,
  facts: Map<string, BranchFacts>,
  record: RepoStatus | undefined,
): string[] {
  const violations: string[] = [];
  const lost = [...before.reachable].filter((sha) => !after.reachable.has(sha));
  if (lost.length) violations.push(`(1) commits no longer reachable: ${lost.map(short).join(", ")}`);
  if (before.stashes.join() !== after.stashes.join()) violations.push("(1) the stash list changed");
  for (const [dir, view] of before.worktrees) {
    const now = after.worktrees.get(dir)?.origHead ?? null;
    if (view.origHead && view.origHead !== now) {
      violations.push(
        `(1) ORIG_HEAD of ${label(dir, before)} changed from ${short(view.origHead)} to ${
          now ? short(now) : "nothing"
        }`,
      );
    }
  }

  let headMoved = false;
  let othersMoved = false;
  for (const [name, fact] of facts) {
    const reasons = refusals(name, s, before, fact);
    const safe = reasons.length === 0;
    const now = after.branches.get(name)?.sha;
    if (now === undefined) {
      violations.push(`(1) branch ${name} was deleted`);
      continue;
    }
    const moved = now !== fact.before;
    if (moved && now === fact.target) {
      if (name === before.headBranch) headMoved = true;
      else othersMoved = true;
    }
    if (safe && now !== fact.target) {
      violations.push(`(3) ${name} did not move to its upstream although that was safe`);
    }
    if (!safe && moved) {
      violations.push(`(3) ${name} moved to ${short(now)} although unsafe: ${reasons.join("; ")}`);
    }
  }
  if (before.headBranch !== after.headBranch) {
    violations.push(
      `(3) HEAD changed from ${before.headBranch ?? "detached"} to ${after.headBranch ?? "detached"}`,
    );
  } else if (before.headBranch === null && before.headSha !== after.headSha) {
    violations.push("(3) the detached HEAD moved");
  }

  const main = [...before.worktrees.keys()][0]!;
  const headFact = before.headBranch ? facts.get(before.headBranch) : undefined;
  for (const [dir, view] of before.worktrees) {
    const later = after.worktrees.get(dir)!;
    const moved = dir === main && headMoved && headFact ? headFact : null;
    const expected = moved ? expectAfterMove(view, moved, before.localPaths) : view;
    violations.push(...differences(`(2) ${label(dir, before)}`, "file", expected.files, later.files));
    violations.push(...differences(`(2) ${label(dir, before)}`, "index entry", expected.index, later.index));
  }
  violations.push(...checkRecord(s, before, after, record, headFact, headMoved, othersMoved));
  return violations;
}

/** The worktree after a fast-forward: the upstream's version of every incoming path the user did not touch. */
function expectAfterMove(view: WorktreeView, fact: BranchFacts, localPaths: string[]): WorktreeView {
  const files = new Map(view.files);
  const index = new Map(view.index);
  for (const path of fact.incomingPaths) {
    if (localPaths.some((l) => pathsOverlap(l, path))) continue;
    const entry = fact.targetTree.get(path);
    if (entry) {
      files.set(path, entry);
      index.set(path, `${entry} 0`);
    } else {
      files.delete(path);
      index.delete(path);
    }
  }
  return { files, index, origHead: view.origHead };
}

function differences(
  where: string,
  what: string,
  expected: Map<string, string>,
  actual: Map<string, string>,
): string[] {
  const found: string[] = [];
  for (const [path, value] of expected) {
    const now = actual.get(path);
    if (now === undefined) found.push(`${where}: ${what} ${path} is gone`);
    else if (now !== value) found.push(`${where}: ${what} ${path} changed (${value} -> ${now})`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) found.push(`${where}: ${what} ${path} appeared`);
  return found;
}

function checkRecord(
  s: Situation,
  before: Snapshot,
  after: Snapshot,
  record: RepoStatus | undefined,
  headFact: BranchFacts | undefined,
  headMoved: boolean,
  othersMoved: boolean,
): string[] {
  if (!record) return ["(4) no status record was written"];
  const found: string[] = [];
  const state = after.headBranch === null
    ? "DETACHED"
    : !after.tracked
    ? "NO_UPSTREAM"
    : after.ahead > 0 && after.behind > 0
    ? "DIVERGED"
    : after.ahead > 0
    ? "AHEAD"
    : after.behind > 0
    ? "BEHIND"
    : "UP_TO_DATE";
  const expected: Record<string, unknown> = {
    state,
    branch: after.headBranch,
    head: after.headSha,
    upstream: after.upstream,
    ahead: after.ahead,
    behind: after.behind,
    stashes: after.stashes.length,
    operation: s.operation,
  };
  for (const [key, value] of Object.entries(expected)) {
    const actual = (record as unknown as Record<string, unknown>)[key];
    if (actual !== value) {
      found.push(`(4) the record says ${key} ${JSON.stringify(actual)}, git says ${JSON.stringify(value)}`);
    }
  }
  const sync = record.sync;
  const said = sync ? `${sync.result}${sync.reason ? ` (${sync.reason})` : ""}` : "nothing";
  const refused = !headMoved && headFact?.needsMove === true;
  if (headMoved && sync?.result !== "fast-forwarded") {
    found.push(`(4) ${before.headBranch} was fast-forwarded but the record says ${said}`);
  } else if (refused && !(sync && isRefusal(sync.result) && sync.reason)) {
    found.push(
      `(4) ${before.headBranch} was not moved but the record says ${said}, not a refusal with a reason`,
    );
  } else if (!headMoved && !refused) {
    // Nothing to do for the checked-out branch: "up-to-date", or why other branches were left alone.
    const fine = othersMoved
      ? sync?.result === "fast-forwarded"
      : sync?.result === "up-to-date" || (!!sync && isRefusal(sync.result) && !!sync.reason);
    if (!fine) {
      found.push(
        `(4) the record says ${said} ${othersMoved ? "although branches moved" : "although nothing moved"}`,
      );
    }
  }
  return found;
}

function isRefusal(result: string): boolean {
  return result === "skipped" || result === "blocked" || result === "failed";
}

function label(dir: string, before: Snapshot): string {
  return dir === [...before.worktrees.keys()][0]
    ? "main worktree"
    : `linked worktree ${dir.split("/").pop()}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
