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

/** The work as it stands: HEAD, the staged tree and the worktree's tree, hashed through a scratch index. */
export interface WorkTrees {
  base: string;
  baseTree: string;
  branch: string;
  staged: string;
  worktree: string;
}

export async function buildSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  options: SnapshotOptions,
): Promise<Built> {
  const refused = await refusedWork(runner, location, options);
  if (refused.length > 0 && !options.force) return { kind: "refused", refused };
  const trees = await workTrees(runner, location);
  if (isClean(trees)) return { kind: "nothing" };
  return { kind: "saved", snapshot: await commitSnapshot(runner, location, trees, options) };
}

export function isClean(trees: WorkTrees): boolean {
  return trees.staged === trees.baseTree && trees.worktree === trees.baseTree;
}

export async function workTrees(runner: GitRunner, location: RepoLocation): Promise<WorkTrees> {
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
  const symbolic = await runner.run(["symbolic-ref", "--quiet", "--short", "HEAD"], {
    cwd,
    allowFailure: true,
  });
  const branch = symbolic.code === 0 ? symbolic.stdout.trim() : DETACHED;
  // In this worktree's own git dir: a linked worktree saves its own index, and the copy sits on the same
  // file system as the objects it names. The runner passes no GIT_INDEX_FILE of the user's, so the index is
  // the one at `--git-path index`.
  const scratch = join(location.gitDir, `gitargus-wip-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.index`);
  try {
    const real = join(location.gitDir, "index");
    // A fresh repository may have no index yet: HEAD's tree is then the staged state.
    const copied = await Deno.copyFile(real, scratch).then(() => true, () => false);
    // With core.splitIndex, writing the copy would also write a new sharedindex.* file into the git dir
    // (and expire old ones): written whole, the copy leaves nothing behind but objects.
    const index = { GIT_INDEX_FILE: scratch };
    const whole = ["-c", "core.splitIndex=false"];
    if (!copied) await git([...whole, "read-tree", base], index);
    const staged = await git([...whole, "write-tree"], index);
    await git([...whole, "add", "--all", "--", ":/"], index);
    const worktree = await git([...whole, "write-tree"], index);
    const baseTree = await git(["rev-parse", `${base}^{tree}`]);
    return { base, baseTree, branch, staged, worktree };
  } finally {
    await Deno.remove(scratch).catch(() => {});
    // Left only by a git killed at its timeout; the real index.lock is never ours to remove.
    await Deno.remove(`${scratch}.lock`).catch(() => {});
  }
}

/** The two commits of a snapshot of `trees`: the staged state on HEAD, and the worktree on both. */
export async function commitSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  trees: WorkTrees,
  options: Pick<SnapshotOptions, "host" | "now">,
): Promise<Snapshot> {
  const cwd = location.path;
  const { base, baseTree, branch, staged, worktree } = trees;
  const git = (args: string[], env?: Record<string, string>) =>
    runner.run(args, { cwd, ...(env ? { env } : {}) }).then((r) => r.stdout.trim());
  const paths = [
    ...new Set([
      ...await changedPaths(runner, cwd, baseTree, staged),
      ...await changedPaths(runner, cwd, staged, worktree),
    ]),
  ].sort();
  const identity = await authorEnv(runner, cwd, options.now());
  const subject = `gitargus wip: ${options.host} ${branch}`;
  const indexCommit = await git(["commit-tree", staged, "-p", base, "-m", `${subject} (staged)`], identity);
  const message = [
    subject,
    "",
    `Gitargus-Host: ${options.host}`,
    `Gitargus-Branch: ${branch}`,
    `Gitargus-Files: ${paths.length}`,
  ].join("\n");
  const commit = await git(["commit-tree", worktree, "-p", base, "-p", indexCommit, "-m", message], identity);
  return { commit, base, indexCommit, branch, paths };
}

/**
 * The files the snapshot would carry that are new or changed, named and sized from the worktree before any
 * of them is hashed: what `git status` lists, untracked files one by one.
 */
export async function refusedWork(
  runner: GitRunner,
  location: RepoLocation,
  options: Pick<SnapshotOptions, "maxFileSize">,
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
    const onDisk = await Deno.lstat(join(location.path, path)).then(
      (s) => s.isDirectory ? null : s.size,
      () => null,
    );
    // Staged, then deleted from the worktree: the staged blob still goes into the snapshot's index commit.
    const stagedOnly = onDisk === null && "AMRCT".includes(field.charAt(0));
    candidates.push({ path, size: stagedOnly ? await stagedSize(runner, location, path) : onDisk });
  }
  return refusedFiles(candidates, options.maxFileSize);
}

async function stagedSize(runner: GitRunner, location: RepoLocation, path: string): Promise<number | null> {
  const result = await runner.run(["cat-file", "-s", `:${path}`], { cwd: location.path, allowFailure: true });
  return result.code === 0 ? Number(result.stdout.trim()) : null;
}

/**
 * The repository's own identity when it has one (the snapshot is the user's work), else a fixed one: a
 * machine without `user.email` must still save, and commit-tree would refuse to guess. The time is the time
 * of the save, which `status` shows.
 */
async function authorEnv(runner: GitRunner, cwd: string, at: Date): Promise<Record<string, string>> {
  const { stdout } = await runner.run(["config", "--null", "--get-regexp", "^user\\.(name|email)$"], {
    cwd,
    allowFailure: true,
  });
  const user = new Map<string, string>();
  for (const entry of stdout.split("\0")) {
    const newline = entry.indexOf("\n");
    if (newline > 0) user.set(entry.slice(0, newline), entry.slice(newline + 1));
  }
  const own = user.get("user.name") && user.get("user.email");
  const name = own ? user.get("user.name")! : FALLBACK_NAME;
  const email = own ? user.get("user.email")! : FALLBACK_EMAIL;
  const date = `${Math.floor(at.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
    GIT_COMMITTER_DATE: date,
  };
}

const FALLBACK_NAME = "gitargus";
const FALLBACK_EMAIL = "gitargus@localhost";
