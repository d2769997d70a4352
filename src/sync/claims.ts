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

/**
 * Why a worktree holds `ref` (`refs/heads/<name>`), or null when none does: another worktree has it checked
 * out, or any worktree, this one included, is rebasing, bisecting, merging... on it. This worktree's own
 * checkout is no claim: that branch is the one its caller judges.
 */
export function claimOn(worktrees: readonly Worktree[], ref: string, from: string): string | null {
  const name = ref.replace(/^refs\/heads\//, "");
  for (const worktree of worktrees) {
    const where = worktree.here ? "in this worktree" : `in worktree ${relative(from, worktree.path) || "."}`;
    const missing = worktree.missing ? " (its directory is missing; `git worktree prune` releases it)" : "";
    if (worktree.operation?.branch === ref) {
      return `${DOING[worktree.operation.kind](name)} ${where}${missing}`;
    }
    if (worktree.branch === ref && !worktree.here) return `${name} is checked out ${where}${missing}`;
  }
  return null;
}
