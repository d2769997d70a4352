/** Which worktree claims a branch the daemon would move, said as the reason it is left alone. */

import { relative } from "node:path";
import type { Worktree, WorktreeOperation } from "../git/worktrees.ts";

const DOING: Record<WorktreeOperation, (branch: string) => string> = {
  "rebase": (b) => `${b} is being rebased`,
  "am": (b) => `patches are being applied to ${b} (git am)`,
  "bisect": (b) => `${b} is being bisected`,
  "merge": (b) => `a merge into ${b} is in progress`,
  "cherry-pick": (b) => `a cherry-pick onto ${b} is in progress`,
  "revert": (b) => `a revert on ${b} is in progress`,
};

const MISSING_FIXES = "`git worktree repair <new path>` if it was moved, `git worktree prune` if deleted";
const LOCKED_FIXES =
  "`git worktree repair <new path>` if it was moved, `git worktree unlock` and `prune` if deleted";

/**
 * Why a worktree holds `ref` (`refs/heads/<name>`), or null when none does: another worktree has it checked
 * out, or any worktree, this one included, is rebasing, bisecting, merging... on it. This worktree's own
 * checkout is no claim: that branch is the one its caller judges.
 */
export function claimOn(worktrees: readonly Worktree[], ref: string, from: string): string | null {
  const name = ref.replace(/^refs\/heads\//, "");
  for (const worktree of worktrees) {
    const where = worktree.here ? "in this worktree" : `in worktree ${relative(from, worktree.path) || "."}`;
    // Pruning a worktree that was moved, not deleted, would cut it off from its index and HEAD: say both fixes.
    const missing = !worktree.missing
      ? ""
      : worktree.locked
      ? ` (its directory is missing and the worktree is locked: ${LOCKED_FIXES})`
      : ` (its directory is missing: ${MISSING_FIXES})`;
    if (worktree.operation?.branch === ref) {
      return `${DOING[worktree.operation.kind](name)} ${where}${missing}`;
    }
    if (worktree.branch === ref && !worktree.here) return `${name} is checked out ${where}${missing}`;
  }
  return null;
}
