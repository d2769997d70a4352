/** The observed state of one repository on one machine: what the store keeps and `status` shows. */

export const REPO_STATES = [
  "UP_TO_DATE",
  "AHEAD",
  "BEHIND",
  "DIVERGED",
  "NO_UPSTREAM",
  "DETACHED",
  "MISSING",
  "FAILED",
] as const;
export type RepoState = typeof REPO_STATES[number];

export const OPERATIONS = ["merge", "rebase", "cherry-pick", "revert", "bisect"] as const;
export type Operation = typeof OPERATIONS[number];

/** One porcelain entry: two-letter XY code (`??` untracked, `UU` conflict) and the path. */
export interface ChangeEntry {
  code: string;
  path: string;
  /** Original path of a rename or copy. */
  from?: string;
}

export interface ChangeSummary {
  staged: number;
  unstaged: number;
  untracked: number;
  conflicted: number;
  /** The first entries, at most `CHANGES_CAP`; the counts above cover all of them. */
  entries: ChangeEntry[];
  truncated: boolean;
}

export const CHANGES_CAP = 20;

/**
 * A local branch other than the checked-out one with commits another machine cannot get. `ahead` counts the
 * commits its upstream lacks or, with no upstream (never pushed) or a gone one, the commits on no remote.
 */
export interface UnpushedBranch {
  name: string;
  upstream: string | null;
  ahead: number;
  /** The upstream was deleted on the remote. */
  gone?: boolean;
}

export interface FetchResult {
  at: string;
  ok: boolean;
  error?: string;
}

/** Outcome of the last automatic fast-forward attempt, so `status` can say why a clone did not move. */
export interface SyncResult {
  at: string;
  result: "fast-forwarded" | "up-to-date" | "skipped" | "blocked" | "failed";
  reason?: string;
  /** The cause may go (a lock, an operation, a local change, a checkout elsewhere): retried on the next refresh. */
  retry?: boolean;
  /** A move stopped halfway: the repository is FAILED and nothing moves until the user has dealt with it. */
  halted?: boolean;
  /**
   * Branches other than the checked-out one that were behind their upstream and could have moved, left alone
   * because the autoPull policy does not name them. Absent when none (and in records of earlier versions).
   */
  policyHeld?: string[];
}

/** Another worktree of the repository (`git worktree add`), listed when it holds work or an operation. */
export interface WorktreeWork {
  /** Relative to the repository's path. */
  path: string;
  branch: string | null;
  head: string | null;
  clean: boolean;
  /** Counts only; null when the worktree could not be read. */
  changes: Pick<ChangeSummary, "staged" | "unstaged" | "untracked" | "conflicted"> | null;
  operation: Operation | null;
  unreadable?: true;
}

/**
 * Uncommitted work this machine saved with `gitargus wip save`: a commit kept on the repository's remote at
 * `refs/gitargus/wip/<host>/<branch>`, listed by the machine that saved it while the ref stands.
 */
export interface WipSnapshot {
  /** The branch it was saved from; "HEAD" for a detached HEAD. */
  branch: string;
  /** The snapshot commit (its tree is the worktree as saved). */
  commit: string;
  /** HEAD when it was saved: the commit the work applies to. */
  base: string;
  savedAt: string;
  /** Changed, added, deleted and untracked paths in it. */
  files: number;
}

export interface RepoStatus {
  name: string;
  path: string;
  /**
   * Fetch URL of the remote other machines clone it from (the checked-out branch's remote, else origin, else
   * the only one), any credentials removed. Absent when it has no remote (and in records of earlier versions).
   */
  remoteUrl?: string;
  state: RepoState;
  /** Branch name; null when detached or missing. */
  branch: string | null;
  upstream: string | null;
  head: string | null;
  ahead: number;
  behind: number;
  clean: boolean;
  changes: ChangeSummary;
  stashes: number;
  unpushedBranches: UnpushedBranch[];
  /**
   * Commits of the checked-out branch on no remote, when it has no live upstream (never pushed, or its
   * upstream is gone); for a detached HEAD, its commits on no branch and no remote; 0 otherwise, where
   * `ahead` counts them. Absent in records of earlier versions.
   */
  unpushedCommits?: number;
  operation: Operation | null;
  /**
   * The repository's other worktrees that hold uncommitted work or an operation in progress; absent when
   * there are none (and in records of earlier versions).
   */
  worktrees?: WorktreeWork[];
  /** Work in progress this machine saved for the repository; absent when none (and in earlier records). */
  wip?: WipSnapshot[];
  lastFetch: FetchResult | null;
  sync: SyncResult | null;
  /** Why the state is MISSING or FAILED. */
  error: string | null;
  /** When this was observed (ISO-8601 UTC). */
  updatedAt: string;
}

export function emptyChanges(): ChangeSummary {
  return { staged: 0, unstaged: 0, untracked: 0, conflicted: 0, entries: [], truncated: false };
}
