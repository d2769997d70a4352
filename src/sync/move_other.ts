/**
 * Branches that are not checked out: no worktree or index to update, only the ref. Each moves by a
 * compare-and-swap `update-ref` from an ancestor to its descendant, after looking once more that no worktree
 * has checked it out or is rebasing, bisecting or otherwise working on it. That last look and the updates
 * happen while this worktree's index.lock is held, and each linked worktree's that is free: a `git checkout`
 * that starts meanwhile finds the lock and stops. One that already runs has resolved the branch before it
 * takes the lock; it has written the index or HEAD moments before, so the branches wait for the user's git
 * to be still (user_activity.ts). A linked worktree whose lock someone holds (often a stale one) does not
 * stop the other branches.
 */

import type { GitRunner } from "../git/runner.ts";
import type { BranchInfo, RepoLocation } from "../git/repo.ts";
import { resolveCommit, shortSha } from "./commits.ts";
import { readWorktrees, type Worktree } from "../git/worktrees.ts";
import { claimOn } from "./claims.ts";
import { IndexLock } from "./index_lock.ts";
import { type Quiet, USER_ACTIVE, userJustActed, waitForStillness } from "./user_activity.ts";

export interface OtherBranches {
  moved: string[];
  /** Why a branch behind its upstream was left alone. */
  notes: string[];
  /** Branches that could have moved but that the autoPull policy does not name. */
  held: string[];
}

interface Candidate {
  name: string;
  ref: string;
  from: string;
  to: string;
}

export async function fastForwardOtherBranches(
  runner: GitRunner,
  location: RepoLocation,
  branches: readonly BranchInfo[],
  worktrees: readonly Worktree[],
  allowed: (name: string) => boolean,
  quiet: Quiet,
): Promise<OtherBranches> {
  const result: OtherBranches = { moved: [], notes: [], held: [] };
  const candidates: Candidate[] = [];
  for (const branch of branches) {
    if (branch.head || !branch.upstream || branch.gone || branch.behind === 0 || branch.ahead > 0) continue;
    if (!allowed(branch.name)) {
      result.held.push(branch.name);
      continue;
    }
    const ref = `refs/heads/${branch.name}`;
    const claim = claimOn(worktrees, ref, location.path);
    if (claim) {
      result.notes.push(claim);
      continue;
    }
    const to = await resolveCommit(runner, location, branch.upstream);
    const ancestor = await runner.run(["merge-base", "--is-ancestor", branch.sha, to], {
      cwd: location.path,
      allowFailure: true,
    });
    if (ancestor.code === 0) candidates.push({ name: branch.name, ref, from: branch.sha, to });
  }
  if (candidates.length === 0) return result;
  const notMoved = (why: string) => {
    result.notes.push(`${candidates.map((c) => c.name).join(", ")} not moved: ${why}`);
    return result;
  };
  if (!await waitForStillness(location, quiet)) return notMoved(USER_ACTIVE);
  const locks = await lockWorktrees(worktrees);
  if (!locks) return notMoved("index.lock exists");
  try {
    // Once more under the locks, as for the checked-out branch.
    if (await userJustActed(location, quiet.ms)) return notMoved(USER_ACTIVE);
    const now = await readWorktrees(runner, location);
    const here = await runner.run(["symbolic-ref", "-q", "HEAD"], { cwd: location.path, allowFailure: true });
    for (const candidate of candidates) {
      const claim = claimOn(now, candidate.ref, location.path) ??
        (here.stdout.trim() === candidate.ref ? `${candidate.name} was checked out meanwhile` : null);
      if (claim) {
        result.notes.push(claim);
        continue;
      }
      // The old value makes this a compare-and-swap: a commit made meanwhile wins and the update is dropped.
      const update = await runner.run(
        ["update-ref", "-m", "gitargus: fast-forward", candidate.ref, candidate.to, candidate.from],
        { cwd: location.path, allowFailure: true },
      );
      if (update.code === 0) {
        result.moved.push(`${candidate.name} ${shortSha(candidate.from)}..${shortSha(candidate.to)}`);
      }
    }
  } finally {
    await Promise.all(locks.map((lock) => lock.release()));
  }
  return result;
}

/** This worktree's lock and every free one of the others; null when this worktree's is held. */
async function lockWorktrees(worktrees: readonly Worktree[]): Promise<IndexLock[] | null> {
  const take = (w: Worktree) => IndexLock.take(w.gitDir, { copy: false }).catch(() => null);
  const here = worktrees.find((w) => w.here);
  const own = here ? await take(here) : null;
  if (here && !own) return null;
  const others = await Promise.all(worktrees.filter((w) => !w.here && !w.missing).map(take));
  return [...(own ? [own] : []), ...others.filter((l): l is IndexLock => l !== null)];
}
