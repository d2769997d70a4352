/** Typed queries against one repository, built on the runner and the porcelain parser. */

import * as localFs from "../util/local_fs.ts";
import type { RepositoryConfig } from "../config/types.ts";
import type { GitRunner } from "./runner.ts";
import type { LocationIdentity } from "./locate.ts";
import { pathExists } from "../util/fs.ts";
import { BranchCache } from "./branch_cache.ts";
import { statusOperation, worktreeOperation } from "./worktrees.ts";
import { otherWorktreesWork } from "./worktree_work.ts";
import { parsePorcelainV2, parseTrack } from "./status.ts";
import { localBranchNames } from "./ref_files.ts";
import { recordedRemoteUrl } from "./remote_url.ts";
import {
  emptyChanges,
  type FetchResult,
  type Operation,
  type RepoState,
  type RepoStatus,
  type SyncResult,
  type UnpushedBranch,
  type WipSnapshot,
} from "../state/repo_status.ts";

/** A configured repository found on disk. */
export interface RepoLocation {
  name: string;
  path: string;
  /** This worktree's git dir (holds HEAD, index, MERGE_HEAD...). */
  gitDir: string;
  /** Shared git dir (refs, objects, packed-refs); equal to gitDir outside linked worktrees. */
  commonDir: string;
  /** What was found, to notice cheaply that it is gone or replaced (see locate.ts). */
  identity?: LocationIdentity;
}

export type Located = { ok: true; location: RepoLocation } | { ok: false; reason: string };

export interface BranchInfo {
  name: string;
  sha: string;
  /** Full ref of the upstream (`refs/remotes/origin/main`), or null. */
  upstream: string | null;
  upstreamShort: string | null;
  remote: string | null;
  ahead: number;
  behind: number;
  gone: boolean;
  /** Checked out in this worktree. */
  head: boolean;
  /**
   * Commits on no remote at all (`rev-list --count <b> --not --remotes`), counted only for a branch without a
   * live upstream, where `ahead` says nothing: a branch never pushed, or one whose upstream is gone.
   */
  unpushed: number;
}

export { locateRepository } from "./locate.ts";

const BRANCH_FORMAT = [
  "%(refname:short)",
  "%(objectname)",
  "%(upstream)",
  "%(upstream:short)",
  "%(upstream:remotename)",
  "%(upstream:track,nobracket)",
  "%(HEAD)",
].join("%00");

const branchCache = new BranchCache();

/** Local branches with their upstreams; served from memory while the refs, HEAD and config are unchanged. */
export function listBranches(runner: GitRunner, location: RepoLocation): Promise<BranchInfo[]> {
  return branchCache.get(location, () => readBranches(runner, location));
}

async function readBranches(runner: GitRunner, location: RepoLocation): Promise<BranchInfo[]> {
  const { stdout } = await runner.run(["for-each-ref", `--format=${BRANCH_FORMAT}`, "refs/heads"], {
    cwd: location.path,
  });
  const branches: BranchInfo[] = [];
  for (const line of stdout.split("\n")) {
    if (!line) continue;
    const [name = "", sha = "", upstream = "", upstreamShort = "", remote = "", track = "", head = ""] = line
      .split(
        "\0",
      );
    const { ahead, behind, gone } = parseTrack(track);
    branches.push({
      name,
      sha,
      upstream: upstream || null,
      upstreamShort: upstreamShort || null,
      remote: remote || null,
      ahead,
      behind,
      gone,
      head: head === "*",
      unpushed: 0,
    });
  }
  await Promise.all(
    branches.filter((b) => !b.upstream || b.gone).map(async (b) => {
      b.unpushed = await commitsOnlyAt(runner, location, b.sha, "--remotes");
    }),
  );
  return branches;
}

/**
 * Commits reachable from `sha` and from none of `others` (`--remotes`, `--branches`): work no other machine
 * can get. For a branch without a live upstream the branch cache keeps the answer while refs stand still.
 */
async function commitsOnlyAt(
  runner: GitRunner,
  location: RepoLocation,
  sha: string,
  ...others: string[]
): Promise<number> {
  const { stdout } = await runner.run(["rev-list", "--count", sha, "--not", ...others], {
    cwd: location.path,
  });
  return Number.parseInt(stdout.trim(), 10) || 0;
}

/** The operation waiting for the user in this worktree (`git am` counts as a rebase, as git's status says). */
export async function operationInProgress(location: RepoLocation): Promise<Operation | null> {
  const found = await worktreeOperation(location.gitDir, null);
  return found ? statusOperation(found.kind) : null;
}

export function indexLocked(location: RepoLocation): Promise<boolean> {
  return pathExists(`${location.gitDir}/index.lock`);
}

/** When git last wrote FETCH_HEAD: a fetch by anyone, this daemon or the user. */
export async function lastFetchTime(location: RepoLocation): Promise<string | null> {
  try {
    const info = await localFs.stat(`${location.commonDir}/FETCH_HEAD`);
    return info.mtime ? info.mtime.toISOString() : null;
  } catch {
    return null;
  }
}

export interface StatusContext {
  now: () => Date;
  lastFetch: FetchResult | null;
  sync: SyncResult | null;
  /** This machine's saved work in progress of the repository (src/wip/saved.ts); none when absent. */
  savedWip?: (location: RepoLocation) => Promise<WipSnapshot[]>;
}

/** Reads the full state of a located repository: one git process (two with other branches) and a few stats. */
export async function readRepoStatus(
  runner: GitRunner,
  location: RepoLocation,
  context: StatusContext,
): Promise<RepoStatus> {
  const [porcelain, names, operation, fetchedAt, worktrees, wip] = await Promise.all([
    runner.run(["status", "--porcelain=v2", "--branch", "--show-stash", "-z"], { cwd: location.path })
      .then((r) => parsePorcelainV2(r.stdoutBytes ?? r.stdout)),
    localBranchNames(location.commonDir),
    operationInProgress(location),
    lastFetchTime(location),
    otherWorktreesWork(runner, location).then((all) => all.filter((w) => !w.clean || w.operation)),
    context.savedWip?.(location) ?? [],
  ]);
  // The checked-out branch alone, tracking a live upstream: git status said all there is (nothing unpushed
  // elsewhere, and its own lead is `ahead`), so no for-each-ref.
  const alone = porcelain.branch !== null && porcelain.ahead !== null && names?.length === 1 &&
    names[0] === porcelain.branch;
  const [branches, remoteUrl] = await Promise.all([
    alone ? [] : listBranches(runner, location),
    recordedRemoteUrl(runner, location, porcelain.upstream),
  ]);
  const { changes } = porcelain;
  const ahead = porcelain.ahead ?? 0;
  const behind = porcelain.behind ?? 0;
  const branch = porcelain.branch;
  const upstream = porcelain.ahead === null ? null : porcelain.upstream;
  const lastFetch = context.lastFetch ?? (fetchedAt ? { at: fetchedAt, ok: true } : null);
  const fetchFailed = lastFetch !== null && !lastFetch.ok;
  const halted = context.sync?.halted === true;
  return {
    name: location.name,
    path: location.path,
    ...(remoteUrl !== undefined ? { remoteUrl } : {}),
    // A fast-forward that stopped halfway left files for the user to deal with: that outranks any other state.
    state: fetchFailed || halted ? "FAILED" : deriveState(branch, upstream, ahead, behind),
    branch,
    upstream: porcelain.upstream,
    head: porcelain.oid,
    ahead,
    behind,
    clean: changes.staged + changes.unstaged + changes.untracked + changes.conflicted === 0,
    changes,
    stashes: porcelain.stashes,
    unpushedBranches: unpushed(branches, branch),
    unpushedCommits: branch === null && porcelain.oid
      ? await commitsOnlyAt(runner, location, porcelain.oid, "--branches", "--remotes")
      : branches.find((b) => b.head)?.unpushed ?? 0,
    operation,
    ...(worktrees.length ? { worktrees } : {}),
    ...(wip.length ? { wip } : {}),
    lastFetch,
    sync: context.sync,
    error: halted
      ? context.sync?.reason ?? "fast-forward stopped halfway"
      : fetchFailed
      ? lastFetch.error ?? "fetch failed"
      : null,
    updatedAt: context.now().toISOString(),
  };
}

export function deriveState(
  branch: string | null,
  upstream: string | null,
  ahead: number,
  behind: number,
): RepoState {
  if (branch === null) return "DETACHED";
  if (upstream === null) return "NO_UPSTREAM";
  if (ahead > 0 && behind > 0) return "DIVERGED";
  if (ahead > 0) return "AHEAD";
  if (behind > 0) return "BEHIND";
  return "UP_TO_DATE";
}

/**
 * Local branches, other than the checked-out one, holding commits another machine cannot get: ahead of their
 * upstream, or (never pushed, upstream gone) with commits on no remote at all.
 */
function unpushed(branches: BranchInfo[], current: string | null): UnpushedBranch[] {
  return branches.flatMap((b): UnpushedBranch[] => {
    if (b.name === current) return [];
    if (b.upstream === null) {
      return b.unpushed > 0 ? [{ name: b.name, upstream: null, ahead: b.unpushed }] : [];
    }
    if (b.gone) {
      return b.unpushed > 0
        ? [{ name: b.name, upstream: b.upstreamShort, ahead: b.unpushed, gone: true }]
        : [];
    }
    return b.ahead > 0 ? [{ name: b.name, upstream: b.upstreamShort, ahead: b.ahead }] : [];
  });
}

/** The record for a repository that could not be read at all. */
export function unreadableStatus(
  repo: RepositoryConfig,
  state: "MISSING" | "FAILED",
  error: string,
  now: Date,
): RepoStatus {
  return {
    name: repo.name,
    path: repo.path,
    state,
    branch: null,
    upstream: null,
    head: null,
    ahead: 0,
    behind: 0,
    clean: true,
    changes: emptyChanges(),
    stashes: 0,
    unpushedBranches: [],
    unpushedCommits: 0,
    operation: null,
    lastFetch: null,
    sync: null,
    error,
    updatedAt: now.toISOString(),
  };
}
