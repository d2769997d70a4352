/**
 * Moves the checked-out branch, all or nothing, judging and acting on the same state.
 *
 * Why not `git merge --ff-only`: the branch was judged earlier, and between that and the merge the user may
 * switch branches, commit or stash; merge would then land on whatever is checked out by then. Instead the
 * daemon takes git's own `index.lock`, so none of the user's porcelain commands can change the index, switch
 * HEAD or commit while it works, and re-checks everything under that lock: HEAD is still the judged branch at
 * the judged commit, and no incoming path has a local change of any kind. Then `git read-tree -m -u` updates
 * worktree and index (writing into the locked copy), the end state is verified, the branch moves by a
 * compare-and-swap `update-ref` (`git reset --soft` needs no lock, so HEAD is checked once more), and only then
 * is the lock committed. Any failure before that restores the incoming paths and drops the lock, so the
 * user's index is exactly as it was. Nothing here writes ORIG_HEAD, runs hooks, or creates a commit.
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { IndexLock } from "./index_lock.ts";
import {
  changesInTheWay,
  describeChanges,
  type LocalChange,
  readLocalChanges,
  readStatusChanges,
} from "./local_changes.ts";
import { type PathKey, QUOTE_PATHS, readPathList, showPath } from "./quoted_path.ts";
import { firstDifference, snapshotOutside } from "./snapshot.ts";
import { restoreIncoming } from "./restore.ts";
import { gitComplaint } from "./git_complaint.ts";
import { haltPath, recordHalt } from "./halt.ts";
import { rememberOwnWrite, USER_ACTIVE, USER_QUIET_MS, userJustActed } from "./user_activity.ts";

export interface PlannedMove {
  /** Short branch name. */
  branch: string;
  from: string;
  to: string;
  incoming: ReadonlySet<PathKey>;
}

export type MoveOutcome =
  | { kind: "moved" }
  /** Nothing was touched. `retry` when the cause may go away (a lock, the user's change, a race). */
  | { kind: "refused"; reason: string; retry: boolean }
  /** git stopped partway and every incoming path is back as it was. */
  | { kind: "undone"; reason: string; retry: boolean }
  /** git stopped partway and some paths could not be put back: see halt.ts. */
  | { kind: "halted"; reason: string };

export async function moveCheckedOutBranch(
  runner: GitRunner,
  location: RepoLocation,
  move: PlannedMove,
  now: () => Date,
  quietMs = USER_QUIET_MS,
): Promise<MoveOutcome> {
  let lock: IndexLock | null;
  try {
    lock = await IndexLock.take(location.gitDir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return {
      kind: "refused",
      reason: "the worktree has no index file (it was never checked out)",
      retry: false,
    };
  }
  if (!lock) {
    return { kind: "refused", reason: "index.lock exists (another git command is running)", retry: true };
  }
  try {
    // Once more under the lock: a command of the user that started since has written something by now, and
    // one that starts later finds the lock and stops.
    if (await userJustActed(location, quietMs)) return { kind: "refused", reason: USER_ACTIVE, retry: true };
    const outcome = await underLock(runner, location, move, lock, now);
    if (outcome.kind === "moved") await rememberOwnWrite(location);
    return outcome;
  } finally {
    await lock.release();
  }
}

async function underLock(
  runner: GitRunner,
  location: RepoLocation,
  move: PlannedMove,
  lock: IndexLock,
  now: () => Date,
): Promise<MoveOutcome> {
  const git = (args: string[], extra: { env?: Record<string, string>; timeoutMs?: number } = {}) =>
    runner.run(args, { cwd: location.path, allowFailure: true, ...extra });
  const ref = `refs/heads/${move.branch}`;
  if (!(await headIs(runner, location, ref, move.from))) {
    return { kind: "refused", reason: "HEAD changed while the fast-forward was prepared", retry: true };
  }
  // read-tree trusts the stat data in the index; refresh the locked copy so an untouched file is not "dirty".
  await git(["update-index", "-q", "--refresh"], { env: lock.env, timeoutMs: 120_000 });
  const before = await readLocalChanges(runner, location, lock.env);
  const inTheWay = changesInTheWay(move.incoming, before);
  if (inTheWay.length > 0) {
    return {
      kind: "refused",
      reason: `local changes would be overwritten: ${describeChanges(inTheWay)}`,
      retry: true,
    };
  }
  const outside = await snapshotOutside(location.path, before, move.incoming);

  const readTree = await git(["read-tree", "-m", "-u", move.from, move.to], {
    env: lock.env,
    timeoutMs: 600_000,
  });
  if (readTree.code !== 0) {
    return await putBack(
      runner,
      location,
      move,
      now,
      gitComplaint(readTree.stderr),
      false,
    );
  }
  const problem = await endStateProblem(runner, location, move, lock, { changes: before, snapshot: outside });
  if (problem) return await putBack(runner, location, move, now, problem.reason, problem.retry);

  const update = await git(["update-ref", "-m", "gitargus: fast-forward", ref, move.to, move.from]);
  if (update.code !== 0) {
    return await putBack(runner, location, move, now, `${move.branch} moved meanwhile`, true);
  }
  if (!(await headIs(runner, location, ref, move.to))) {
    // HEAD left the branch after the update (`git reset --soft` takes no lock): keep the user's move, undo ours.
    await git(["update-ref", "-m", "gitargus: fast-forward undone", ref, move.from, move.to]);
    return await putBack(runner, location, move, now, "HEAD moved during the fast-forward", true);
  }
  try {
    await lock.commit();
  } catch (error) {
    await git(["update-ref", "-m", "gitargus: fast-forward undone", ref, move.from, move.to]);
    return await putBack(
      runner,
      location,
      move,
      now,
      `cannot replace the index: ${(error as Error).message}`,
      false,
    );
  }
  return { kind: "moved" };
}

async function headIs(runner: GitRunner, location: RepoLocation, ref: string, sha: string): Promise<boolean> {
  // One process for both: the commit, then (after the flag) the ref HEAD names, or "HEAD" when detached.
  const { stdout } = await runner.run(["rev-parse", "HEAD", "--symbolic-full-name", "HEAD"], {
    cwd: location.path,
    allowFailure: true,
  });
  const [commit, symbolic] = stdout.split("\n");
  return symbolic === ref && commit === sha;
}

/**
 * The index equals the target on every incoming path, and nothing of the user's outside them changed. A file
 * on an incoming path that differs from the index right after git wrote it is an edit made meanwhile: like
 * one made a moment after the move, it is the user's and stays.
 */
async function endStateProblem(
  runner: GitRunner,
  location: RepoLocation,
  move: PlannedMove,
  lock: IndexLock,
  outside: { changes: readonly LocalChange[]; snapshot: Map<PathKey, string> },
): Promise<{ reason: string; retry: boolean } | null> {
  const options = { cwd: location.path, env: lock.env, timeoutMs: 120_000 };
  const staged = await runner.run(
    [...QUOTE_PATHS, "diff-index", "--cached", "--name-only", "--no-renames", move.to],
    options,
  );
  const wrongIndex = readPathList(staged.stdout).find((p) => move.incoming.has(p));
  if (wrongIndex !== undefined) {
    return { reason: `the index does not match the target at ${showPath(wrongIndex)}`, retry: false };
  }
  // Whether a file counts as untracked or ignored follows .gitignore, which the move may bring: those files
  // are looked at again as they were listed before, and files it newly ignores or shows are no change.
  const now = await readStatusChanges(runner, location, lock.env);
  const after = await snapshotOutside(
    location.path,
    [...now.filter((c) => !untrackedOrIgnored(c)), ...outside.changes.filter(untrackedOrIgnored)],
    move.incoming,
  );
  const changed = firstDifference(outside.snapshot, after);
  if (changed !== null) {
    return { reason: `${showPath(changed)} changed while the fast-forward ran`, retry: true };
  }
  return null;
}

function untrackedOrIgnored(change: LocalChange): boolean {
  return change.kind === "untracked" || change.kind === "ignored";
}

/** After a failure: restore the incoming paths; what cannot be restored halts further moves. */
async function putBack(
  runner: GitRunner,
  location: RepoLocation,
  move: PlannedMove,
  now: () => Date,
  cause: string,
  retry: boolean,
): Promise<MoveOutcome> {
  const { left, problem } = await restoreIncoming(runner, location, move);
  const what = `fast-forward of ${move.branch} to ${move.to.slice(0, 7)}`;
  if (left.length === 0) return { kind: "undone", reason: `${what} was undone: ${cause}`, retry };
  const reason = `${what} stopped halfway: ${cause}; ${recovery(location, left)}` +
    (problem && problem !== cause ? ` (putting files back failed: ${problem})` : "");
  await recordHalt(location, {
    at: now().toISOString(),
    branch: move.branch,
    from: move.from,
    to: move.to,
    reason,
    paths: [...new Set(left.map((c) => c.path))],
  });
  return { kind: "halted", reason };
}

const SHOWN_PATHS = 5;

/**
 * HEAD and the index are still where the user left them; only the worktree has files of the target. So
 * `git checkout -- <paths>` is the fix, limited to those paths: `git checkout -- .` would also discard the
 * user's own changes elsewhere, and `git reset --merge` leaves unstaged files alone.
 */
function recovery(location: RepoLocation, left: readonly LocalChange[]): string {
  const tracked = unique(left.filter((c) => c.kind !== "untracked" && c.kind !== "ignored"));
  const created = unique(left.filter((c) => c.kind === "untracked" || c.kind === "ignored"));
  const list = (paths: string[]) =>
    paths.length <= SHOWN_PATHS
      ? paths.map(shellWord).join(" ")
      : `<the paths listed in ${haltPath(location)}>`;
  const steps = [
    tracked.length > 0 ? `run \`git checkout -- ${list(tracked)}\`` : "",
    created.length > 0 ? `delete ${list(created)}` : "",
  ].filter(Boolean).join(" and ");
  return `inspect with \`git status\`, fix the cause, then ${steps} to put back what it changed`;
}

function unique(changes: readonly LocalChange[]): string[] {
  return [...new Set(changes.map((c) => showPath(c.path)))];
}

function shellWord(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
