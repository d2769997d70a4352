/**
 * Work waiting in the repository's other worktrees. A linked worktree (`git worktree add`) has its own index,
 * files and operations: uncommitted work there is as much at risk as in the main one, and `status` must say
 * so. A repository without linked worktrees costs one directory listing here.
 */

import * as localFs from "../util/local_fs.ts";
import { join, relative } from "node:path";
import type { WorktreeWork } from "../state/repo_status.ts";
import type { GitRunner } from "./runner.ts";
import type { RepoLocation } from "./repo.ts";
import { parsePorcelainV2 } from "./status.ts";
import { readWorktrees, statusOperation } from "./worktrees.ts";

export async function otherWorktreesWork(runner: GitRunner, location: RepoLocation): Promise<WorktreeWork[]> {
  if (location.gitDir === location.commonDir && !(await hasLinkedWorktrees(location.commonDir))) return [];
  const worktrees = (await readWorktrees(runner, location)).filter((w) => !w.here && !w.missing);
  return await Promise.all(worktrees.map(async (worktree): Promise<WorktreeWork> => {
    const shown = relative(location.path, worktree.path) || ".";
    const result = await runner.run(["status", "--porcelain=v2", "--branch", "-z"], {
      cwd: worktree.path,
      allowFailure: true,
    });
    const operation = worktree.operation ? statusOperation(worktree.operation.kind) : null;
    if (result.code !== 0) {
      return {
        path: shown,
        branch: null,
        head: null,
        clean: false,
        changes: null,
        operation,
        unreadable: true,
      };
    }
    const porcelain = parsePorcelainV2(result.stdoutBytes ?? result.stdout, 0);
    const { staged, unstaged, untracked, conflicted } = porcelain.changes;
    return {
      path: shown,
      branch: porcelain.branch,
      head: porcelain.oid,
      clean: staged + unstaged + untracked + conflicted === 0,
      changes: { staged, unstaged, untracked, conflicted },
      operation,
    };
  }));
}

async function hasLinkedWorktrees(commonDir: string): Promise<boolean> {
  try {
    for (const entry of await localFs.readDir(join(commonDir, "worktrees"))) {
      if (entry.isDirectory) return true;
    }
  } catch {
    // No worktrees folder: no linked worktrees.
  }
  return false;
}
