/**
 * Saving uncommitted work as commits, as `git stash` shapes them but without touching anything of the
 * user's: the staged state is a commit on HEAD, and the worktree (unstaged edits, deletions, untracked files
 * that are not ignored) a commit on HEAD whose second parent is the staged one. Both are built through a
 * temporary copy of the index, so the real index, the worktree, the stash, HEAD and every branch stay as
 * they were; the only trace is objects in the object store, as any `git add` leaves.
 */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { splitFields } from "../git/status.ts";
import { type CandidateFile, type RefusedFile, refusedFiles } from "./guard.ts";
import { DETACHED, WipError } from "./refs.ts";
import { changedPaths } from "./tree_diff.ts";

export interface SnapshotOptions {
  host: string;
  now: () => Date;
  maxFileSize: number;
  /** Include files the guard refuses. */
  force: boolean;
}

export interface Snapshot {
  commit: string;
  base: string;
  indexCommit: string;
  /** The branch it was saved from; "HEAD" when detached. */
  branch: string;
  /** Every path whose staged or worktree state differs from the base. */
  paths: string[];
}

export type Built =
  | { kind: "saved"; snapshot: Snapshot }
  | { kind: "nothing" }
  | { kind: "refused"; refused: RefusedFile[] };

export async function buildSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  options: SnapshotOptions,
): Promise<Built> {
  const cwd = location.path;
  const git = (args: string[], env?: Record<string, string>) =>
    runner.run(args, { cwd, ...(env ? { env } : {}) }).then((r) => r.stdout.trim());
  const head = await runner.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], {
    cwd,
    allowFailure: true,
  });
  const base = head.stdout.trim();
  if (head.code !== 0 || !base) throw new WipError(`${location.name} has no commit yet: commit once first`);
  const unmerged = await git(["ls-files", "--unmerged"]);
  if (unmerged) throw new WipError(`${location.name} has unresolved conflicts: resolve them first`);
  const refused = await guard(runner, location, options);
  if (refused.length > 0 && !options.force) return { kind: "refused", refused };
  const symbolic = await runner.run(["symbolic-ref", "--quiet", "--short", "HEAD"], {
    cwd,
    allowFailure: true,
  });
  const branch = symbolic.code === 0 ? symbolic.stdout.trim() : DETACHED;

  const scratch = join(location.gitDir, `gitargus-wip-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.index`);
  try {
    const real = join(location.gitDir, "index");
    const copied = await Deno.copyFile(real, scratch).then(() => true, () => false);
    const index = { GIT_INDEX_FILE: scratch };
    if (!copied) await git(["read-tree", base], index);
    const staged = await git(["write-tree"], index);
    await git(["add", "--all", "--", ":/"], index);
    const worktree = await git(["write-tree"], index);
    const baseTree = await git(["rev-parse", `${base}^{tree}`]);
    if (staged === baseTree && worktree === baseTree) return { kind: "nothing" };
    const paths = [
      ...new Set([
        ...await changedPaths(runner, cwd, baseTree, staged),
        ...await changedPaths(runner, cwd, staged, worktree),
      ]),
    ].sort();
    const identity = authorEnv(options.host, options.now());
    const subject = `gitargus wip: ${options.host} ${branch}`;
    const indexCommit = await git(["commit-tree", staged, "-p", base, "-m", `${subject} (staged)`], identity);
    const message = [
      subject,
      "",
      `Gitargus-Host: ${options.host}`,
      `Gitargus-Branch: ${branch}`,
      `Gitargus-Files: ${paths.length}`,
    ].join("\n");
    const commit = await git(
      ["commit-tree", worktree, "-p", base, "-p", indexCommit, "-m", message],
      identity,
    );
    return { kind: "saved", snapshot: { commit, base, indexCommit, branch, paths } };
  } finally {
    await Deno.remove(scratch).catch(() => {});
  }
}

/**
 * The files the snapshot would carry that are new or changed, named and sized from the worktree before any
 * of them is hashed: what `git status` lists, untracked files one by one.
 */
async function guard(
  runner: GitRunner,
  location: RepoLocation,
  options: SnapshotOptions,
): Promise<RefusedFile[]> {
  const result = await runner.run(
    ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    {
      cwd: location.path,
    },
  );
  const fields = splitFields(result.stdoutBytes ?? new TextEncoder().encode(result.stdout));
  const candidates: CandidateFile[] = [];
  for (const field of fields) {
    if (field.length < 4) continue;
    const path = field.slice(3);
    const size = await Deno.lstat(join(location.path, path)).then(
      (s) => s.isDirectory ? null : s.size,
      () => null,
    );
    candidates.push({ path, size });
  }
  return refusedFiles(candidates, options.maxFileSize);
}

/**
 * A fixed identity: the snapshot is a private ref, and a machine without `user.email` must still save. The
 * commit time is the time of the save, which `status` shows.
 */
function authorEnv(host: string, at: Date): Record<string, string> {
  const date = `${Math.floor(at.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: "gitargus wip",
    GIT_AUTHOR_EMAIL: `wip@${host}`,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: "gitargus wip",
    GIT_COMMITTER_EMAIL: `wip@${host}`,
    GIT_COMMITTER_DATE: date,
  };
}
