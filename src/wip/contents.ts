/** What a snapshot holds, for `wip show`: each file, where it was (staged, unstaged, untracked), and the diff. */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { type TreeChange, treeChanges } from "./tree_diff.ts";
import { WipError } from "./refs.ts";

export type FilePlace = "staged" | "unstaged" | "untracked";
export type FileChange = "added" | "modified" | "deleted" | "renamed" | "mode" | "type";

export interface SnapshotFile {
  path: string;
  from?: string;
  where: FilePlace;
  change: FileChange;
  /** Content git does not show as text: `wip show` names it without a patch. */
  binary: boolean;
}

/** The snapshot's commits: the base it applies to, the staged state, the worktree. */
export interface SnapshotParts {
  base: string;
  index: string;
  worktree: string;
}

export async function snapshotParts(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
): Promise<SnapshotParts> {
  const { stdout } = await runner.run(["rev-list", "--parents", "-n", "1", commit], { cwd: location.path });
  const [, base, index] = stdout.trim().split(" ");
  if (!base || !index) throw new WipError(`${commit.slice(0, 7)} is not a work-in-progress snapshot`);
  return { base, index, worktree: commit };
}

export async function describeSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
): Promise<SnapshotFile[]> {
  const parts = await snapshotParts(runner, location, commit);
  const cwd = location.path;
  const staged = await treeChanges(runner, cwd, parts.base, parts.index, { renames: true });
  const later = await treeChanges(runner, cwd, parts.index, parts.worktree, { renames: true });
  const binary = new Set([
    ...await binaryPaths(runner, cwd, parts.base, parts.index),
    ...await binaryPaths(runner, cwd, parts.index, parts.worktree),
  ]);
  const fileOf = (change: TreeChange, where: FilePlace): SnapshotFile => ({
    path: change.path,
    ...(change.from ? { from: change.from } : {}),
    where,
    change: kind(change),
    binary: binary.has(change.path) || (change.from !== undefined && binary.has(change.from)),
  });
  return [
    // In the worktree but not in the index: a file git did not know of, which is how the saver had it.
    ...staged.map((c) => fileOf(c, "staged")),
    ...later.map((c) => fileOf(c, c.status === "A" ? "untracked" : "unstaged")),
  ];
}

/** Paths `--numstat` counts no lines of (`-\t-`): git's own binary detection, attributes included. */
async function binaryPaths(runner: GitRunner, cwd: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await runner.run(["diff-tree", "-r", "-z", "--numstat", "--no-renames", from, to], {
    cwd,
  });
  return stdout.split("\0").filter((r) => r.startsWith("-\t-\t")).map((r) => r.slice(4));
}

function kind(change: TreeChange): FileChange {
  switch (change.status) {
    case "A":
      return "added";
    case "D":
      return "deleted";
    case "R":
      return "renamed";
    case "T":
      return "type";
    default:
      return change.srcMode !== change.dstMode ? "mode" : "modified";
  }
}

/** The whole change from the base to the worktree as saved: a stat and the patch (binary files named only). */
export async function snapshotDiff(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
): Promise<string> {
  const { base } = await snapshotParts(runner, location, commit);
  const { stdout } = await runner.run(
    ["diff-tree", "-r", "-M", "--no-color", "--stat", "--patch", base, commit],
    { cwd: location.path },
  );
  return stdout;
}
