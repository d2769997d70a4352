/**
 * What kind of attention a repository needs, most urgent first: the dashboard counts them per kind, and a
 * repository needs attention exactly when it has at least one (`needsAttention` in summary.ts).
 */

import type { RepoStatus } from "../state/repo_status.ts";

export const ATTENTION_KINDS = [
  "conflict",
  "operation",
  "failed",
  "missing",
  "diverged",
  "uncommitted",
  "unpushed",
  "stash",
  "behind",
  "detached",
] as const;
export type AttentionKind = typeof ATTENTION_KINDS[number];

export function attentionKinds(repo: RepoStatus): AttentionKind[] {
  const found = new Set<AttentionKind>();
  const worktrees = repo.worktrees ?? [];
  if (repo.changes.conflicted > 0 || worktrees.some((w) => (w.changes?.conflicted ?? 0) > 0)) {
    found.add("conflict");
  }
  if (repo.operation || worktrees.some((w) => w.operation)) found.add("operation");
  if (repo.state === "FAILED" || worktrees.some((w) => w.unreadable)) found.add("failed");
  if (repo.state === "MISSING") found.add("missing");
  if (repo.state === "DIVERGED") found.add("diverged");
  if (!repo.clean || worktrees.some((w) => !w.clean)) found.add("uncommitted");
  const unpushed = repo.ahead > 0 || (repo.unpushedCommits ?? 0) > 0 || repo.unpushedBranches.length > 0;
  if (unpushed) found.add("unpushed");
  if (repo.stashes > 0) found.add("stash");
  if (repo.state === "BEHIND") found.add("behind");
  if (repo.state === "DETACHED") found.add("detached");
  // A listed worktree holds work or an operation by definition; one that shows neither still counts.
  if (worktrees.length > 0 && found.size === 0) found.add("uncommitted");
  return ATTENTION_KINDS.filter((kind) => found.has(kind));
}
