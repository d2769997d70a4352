/**
 * Which worktree holds a branch, and which operation involves it. Every worktree has its own git dir
 * (`<commondir>/worktrees/<id>`; the main worktree's is the common dir) with its own HEAD and the files an
 * operation leaves while it waits for the user. While a rebase runs, HEAD is detached and only
 * `rebase-merge/head-name` or `rebase-apply/head-name` says which branch it will move; a bisect keeps the
 * branch it started from in BISECT_START. A branch that any of these names must not move under that worktree.
 */

import * as localFs from "../util/local_fs.ts";
import { dirname, join } from "node:path";
import type { GitRunner } from "./runner.ts";
import type { RepoLocation } from "./repo.ts";
import type { Operation } from "../state/repo_status.ts";
import { pathExists } from "../util/fs.ts";

export type WorktreeOperation = "rebase" | "am" | "bisect" | "merge" | "cherry-pick" | "revert";

export interface Worktree {
  path: string;
  gitDir: string;
  /** Full ref checked out there; null when detached. */
  branch: string | null;
  /** The directory is gone (git calls it prunable): the branch stays claimed until it is repaired or pruned. */
  missing: boolean;
  /** `git worktree lock`: prune leaves it alone until it is unlocked. */
  locked?: boolean;
  /** The worktree this repository entry is located at. */
  here: boolean;
  operation: { kind: WorktreeOperation; branch: string | null } | null;
}

export async function readWorktrees(runner: GitRunner, location: RepoLocation): Promise<Worktree[]> {
  const { stdout } = await runner.run(["worktree", "list", "--porcelain", "-z"], { cwd: location.path });
  const listed = parseWorktreeList(stdout);
  const gitDirs = await linkedGitDirs(location.commonDir);
  const here = await real(location.gitDir);
  const worktrees: Worktree[] = [];
  for (const [index, entry] of listed.entries()) {
    // git lists the main worktree first; its git dir is the common dir.
    const gitDir = index === 0 ? location.commonDir : gitDirs.take(await real(entry.path)) ?? null;
    if (gitDir === null || entry.bare) continue;
    worktrees.push(await describe(entry.path, gitDir, entry.branch, here));
  }
  // A worktree git no longer lists (its gitdir file is broken) still holds its operations.
  for (const [path, gitDir] of gitDirs.rest()) worktrees.push(await describe(path, gitDir, null, here));
  return worktrees;
}

interface ListedWorktree {
  path: string;
  branch: string | null;
  bare: boolean;
}

/** `git worktree list --porcelain -z`: NUL-terminated attribute lines, an empty one between worktrees. */
export function parseWorktreeList(output: string): ListedWorktree[] {
  const worktrees: ListedWorktree[] = [];
  let current: ListedWorktree | null = null;
  for (const field of output.split("\0")) {
    if (field.startsWith("worktree ")) {
      current = { path: field.slice("worktree ".length), branch: null, bare: false };
      worktrees.push(current);
    } else if (current && field.startsWith("branch ")) current.branch = field.slice("branch ".length);
    else if (current && field === "bare") current.bare = true;
    else if (field === "") current = null;
  }
  return worktrees;
}

/** `<commondir>/worktrees/<id>`, found by the worktree path their `gitdir` file names. */
async function linkedGitDirs(commonDir: string) {
  const byPath = new Map<string, { path: string; gitDir: string }>();
  try {
    for (const entry of await localFs.readDir(join(commonDir, "worktrees"))) {
      if (!entry.isDirectory) continue;
      const gitDir = join(commonDir, "worktrees", entry.name);
      const pointer = await localFs.readTextFile(join(gitDir, "gitdir")).catch(() => "");
      const path = pointer.trim() ? dirname(pointer.trim()) : gitDir;
      byPath.set(await real(path), { path, gitDir });
    }
  } catch {
    // No linked worktrees.
  }
  return {
    take(path: string): string | undefined {
      const found = byPath.get(path);
      byPath.delete(path);
      return found?.gitDir;
    },
    rest: () => [...byPath.values()].map((w) => [w.path, w.gitDir] as const),
  };
}

async function describe(path: string, gitDir: string, listedBranch: string | null, here: string) {
  const head = await readHeadRef(gitDir);
  return {
    path,
    gitDir,
    branch: listedBranch ?? head,
    missing: !(await pathExists(path)),
    locked: await pathExists(join(gitDir, "locked")),
    here: (await real(gitDir)) === here,
    operation: await worktreeOperation(gitDir, head),
  };
}

/** What waits for the user in the worktree whose git dir this is, and on which branch; null when nothing. */
export async function worktreeOperation(gitDir: string, head: string | null): Promise<Worktree["operation"]> {
  // One listing instead of a failed stat per kind of operation: this runs for every repository read.
  const names = new Set<string>();
  try {
    for (const entry of await localFs.readDir(gitDir)) names.add(entry.name);
  } catch {
    return null;
  }
  for (const dir of ["rebase-merge", "rebase-apply"]) {
    if (!names.has(dir)) continue;
    const name = (await readText(join(gitDir, dir, "head-name")))?.trim();
    if (name !== undefined) return { kind: "rebase", branch: name.startsWith("refs/") ? name : null };
    // rebase-apply without head-name is `git am`, which applies onto the checked-out branch.
    return { kind: dir === "rebase-apply" ? "am" : "rebase", branch: head };
  }
  const bisectStart = names.has("BISECT_START")
    ? (await readText(join(gitDir, "BISECT_START")))?.trim()
    : undefined;
  if (bisectStart !== undefined) {
    return {
      kind: "bisect",
      branch: /^[0-9a-f]{40,64}$/.test(bisectStart) ? null : `refs/heads/${bisectStart}`,
    };
  }
  if (names.has("BISECT_LOG")) return { kind: "bisect", branch: head };
  const simple: Array<[string, WorktreeOperation]> = [
    ["MERGE_HEAD", "merge"],
    ["CHERRY_PICK_HEAD", "cherry-pick"],
    ["REVERT_HEAD", "revert"],
  ];
  for (const [file, kind] of simple) {
    if (names.has(file)) return { kind, branch: head };
  }
  if (names.has("sequencer")) {
    const todo = (await readText(join(gitDir, "sequencer", "todo"))) ?? "";
    return { kind: /^\s*revert\b/.test(todo) ? "revert" : "cherry-pick", branch: head };
  }
  return null;
}

/** The ref a worktree's HEAD names, or null when detached. */
export async function readHeadRef(gitDir: string): Promise<string | null> {
  const head = (await readText(join(gitDir, "HEAD")))?.trim() ?? "";
  return head.startsWith("ref: ") ? head.slice("ref: ".length) : null;
}

function readText(path: string): Promise<string | undefined> {
  return localFs.readTextFile(path).catch(() => undefined);
}

async function real(path: string): Promise<string> {
  return await localFs.realPath(path).catch(() => path);
}

/** The operation as `status` names it: `git am` applies patches through rebase-apply, as git's status says. */
export function statusOperation(kind: WorktreeOperation): Operation {
  return kind === "am" ? "rebase" : kind;
}
