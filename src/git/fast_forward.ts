/**
 * The safety rules for moving a clone forward unattended. Nothing here resets, stashes, rebases, cleans or
 * creates a merge commit: the checked-out branch moves only by a fast-forward-only merge to a verified sha,
 * which git itself refuses when it would touch a path with local changes; other branches move only by a
 * compare-and-swap ref update from an ancestor to its descendant.
 */

import { GitError } from "../errors.ts";
import type { SyncResult } from "./repo_status.ts";
import {
  type BranchInfo,
  indexLocked,
  listBranches,
  operationInProgress,
  type RepoLocation,
} from "./repo.ts";
import type { GitRunner } from "./runner.ts";

export interface FastForwardOptions {
  now: () => Date;
  /** Waits before looking at index.lock again. */
  sleep: (ms: number) => Promise<void>;
  lockRetries?: number;
}

export async function fastForwardIfSafe(
  runner: GitRunner,
  location: RepoLocation,
  options: FastForwardOptions,
): Promise<SyncResult> {
  const at = () => options.now().toISOString();
  const operation = await operationInProgress(location);
  if (operation) return { at: at(), result: "skipped", reason: `${operation} in progress` };

  const branches = await listBranches(runner, location);
  const others = await fastForwardOtherBranches(runner, location, branches);
  const current = branches.find((b) => b.head);
  const moved = (note: string) => [note, ...others].filter(Boolean).join("; ");
  if (!current) {
    return others.length ? { at: at(), result: "fast-forwarded", reason: moved("") } : {
      at: at(),
      result: "skipped",
      reason: branches.length === 0 ? "no commits yet" : "HEAD is detached",
    };
  }
  const verdict = currentBranchVerdict(current);
  if (verdict !== "behind") {
    if (others.length) return { at: at(), result: "fast-forwarded", reason: moved("") };
    return verdict === "up-to-date"
      ? { at: at(), result: "up-to-date" }
      : { at: at(), result: "skipped", reason: verdict };
  }

  for (let attempt = 0; await indexLocked(location); attempt++) {
    if (attempt >= (options.lockRetries ?? 5)) {
      return { at: at(), result: "blocked", reason: "index.lock exists (another git command is running)" };
    }
    await options.sleep(500 * (attempt + 1));
  }

  const target = await resolveSha(runner, location, current.upstream!);
  const merge = await runner.run(
    [
      "merge",
      "--ff-only",
      "--no-autostash",
      "--no-overwrite-ignore",
      "--no-edit",
      "--quiet",
      "--end-of-options",
      target,
    ],
    { cwd: location.path, allowFailure: true, timeoutMs: 120_000 },
  );
  if (merge.code !== 0) {
    return { at: at(), result: "blocked", reason: explainRefusal(merge.stderr || merge.stdout) };
  }
  return {
    at: at(),
    result: "fast-forwarded",
    reason: moved(`${current.name} ${short(current.sha)}..${short(target)}`),
  };
}

type Verdict = "behind" | "up-to-date" | string;

function currentBranchVerdict(branch: BranchInfo): Verdict {
  if (!branch.upstream) return "branch has no upstream";
  if (branch.gone) return "upstream branch is gone";
  if (branch.ahead > 0 && branch.behind > 0) return "diverged: local commits are not on the upstream";
  if (branch.behind > 0) return "behind";
  return "up-to-date";
}

/** Branches that are not checked out anywhere and are strictly behind their upstream. */
async function fastForwardOtherBranches(
  runner: GitRunner,
  location: RepoLocation,
  branches: BranchInfo[],
): Promise<string[]> {
  const candidates = branches.filter((b) =>
    !b.head && b.upstream && !b.gone && b.behind > 0 && b.ahead === 0
  );
  if (candidates.length === 0) return [];
  const checkedOut = await checkedOutBranches(runner, location);
  const moved: string[] = [];
  for (const branch of candidates) {
    if (checkedOut.has(`refs/heads/${branch.name}`)) continue;
    const target = await resolveSha(runner, location, branch.upstream!);
    const ancestor = await runner.run(["merge-base", "--is-ancestor", branch.sha, target], {
      cwd: location.path,
      allowFailure: true,
    });
    if (ancestor.code !== 0) continue;
    // The old value makes this a compare-and-swap: a commit made meanwhile wins and the update is dropped.
    const update = await runner.run(
      [
        "update-ref",
        "-m",
        "gitargus: fast-forward to upstream",
        `refs/heads/${branch.name}`,
        target,
        branch.sha,
      ],
      { cwd: location.path, allowFailure: true },
    );
    if (update.code === 0) moved.push(`${branch.name} ${short(branch.sha)}..${short(target)}`);
  }
  return moved;
}

async function checkedOutBranches(runner: GitRunner, location: RepoLocation): Promise<Set<string>> {
  const { stdout } = await runner.run(["worktree", "list", "--porcelain", "-z"], { cwd: location.path });
  const refs = new Set<string>();
  for (const field of stdout.split("\0")) {
    if (field.startsWith("branch ")) refs.add(field.slice("branch ".length));
  }
  return refs;
}

async function resolveSha(runner: GitRunner, location: RepoLocation, ref: string): Promise<string> {
  const { stdout } = await runner.run([
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${ref}^{commit}`,
  ], {
    cwd: location.path,
  });
  const sha = stdout.trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(["rev-parse", ref], location.path, 0, "not a commit", sha);
  }
  return sha;
}

/** git's refusal, shortened to what the user needs: which local work stopped the fast-forward. */
export function explainRefusal(stderr: string): string {
  const lines = stderr.split("\n");
  const files = (header: RegExp) => {
    const start = lines.findIndex((l) => header.test(l));
    if (start < 0) return null;
    const names: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!/^\s+\S/.test(line)) break;
      names.push(line.trim());
    }
    return names.join(", ");
  };
  const local = files(/Your local changes to the following files would be overwritten/);
  if (local !== null) return `local changes would be overwritten: ${local}`;
  const untracked = files(/untracked working tree files would be (overwritten|removed)/);
  if (untracked !== null) return `untracked files would be overwritten: ${untracked}`;
  const ignored = files(/ignored files would be overwritten|would be overwritten by merge/);
  if (ignored !== null) return `files would be overwritten: ${ignored}`;
  const first = lines.map((l) => l.replace(/^(error|fatal): /, "").trim()).find(Boolean);
  return first ?? "git refused the fast-forward";
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
