/**
 * The automatic fast-forward: the only door to the sync rules. Nothing here resets, stashes, rebases, cleans
 * or creates a merge commit. The checked-out branch moves only when it is strictly behind its upstream, no
 * operation waits in this worktree, no other worktree holds it, no incoming path has a local change of any
 * kind, and no required filter is missing; the move itself is all or nothing (move_checked_out.ts). Other
 * branches move by a compare-and-swap ref update unless some worktree, this one included, is working on
 * them (move_other.ts). A move that stopped halfway holds back every later one until the user has dealt with
 * it (halt.ts). Only the branches the autoPull policy names are considered at all (branch_policy.ts).
 */

import type { SyncResult } from "../state/repo_status.ts";
import {
  type BranchInfo,
  indexLocked,
  listBranches,
  operationInProgress,
  type RepoLocation,
} from "../git/repo.ts";
import type { GitRunner } from "../git/runner.ts";
import { activeHalt } from "./halt.ts";
import { changesInTheWay, describeChanges, incomingPaths, readLocalChanges } from "./local_changes.ts";
import { unusableRequiredFilter } from "./filters.ts";
import { missingIncomingObjects } from "./promised_objects.ts";
import { moveCheckedOutBranch, type MoveOutcome } from "./move_checked_out.ts";
import { type Quiet, USER_ACTIVE, USER_QUIET_MS, waitForStillness } from "./user_activity.ts";
import { fastForwardOtherBranches, type OtherBranches } from "./move_other.ts";
import { resolveCommit, shortSha } from "./commits.ts";
import { readWorktrees } from "../git/worktrees.ts";
import { claimOn } from "./claims.ts";
import { type AutoPull, branchFilter, policyReason } from "./branch_policy.ts";

export interface FastForwardOptions {
  now: () => Date;
  /** Waits before looking at index.lock again. */
  sleep: (ms: number) => Promise<void>;
  /** Short waits for a git command of the user to finish (default 2); a lock that stays is retried on refresh. */
  lockRetries?: number;
  /** Which branches may move (default true: every one). */
  autoPull?: AutoPull;
  /** How long the user's git must have been still before a branch moves (user_activity.ts). */
  quietMs?: number;
}

export async function fastForwardIfSafe(
  runner: GitRunner,
  location: RepoLocation,
  options: FastForwardOptions,
): Promise<SyncResult> {
  const at = options.now().toISOString();
  const halt = await activeHalt(runner, location);
  if (halt) return { at, result: "failed", reason: halt.reason, halted: true, retry: true };

  const [branches, worktrees, operation] = await Promise.all([
    listBranches(runner, location),
    readWorktrees(runner, location),
    operationInProgress(location),
  ]);
  const policy = options.autoPull ?? true;
  const allows = branchFilter(policy);
  const others = await fastForwardOtherBranches(
    runner,
    location,
    branches,
    worktrees,
    (b) => allows(b, false),
    quietOf(options),
  );
  const current = branches.find((b) => b.head);
  let outcome: Outcome;
  if (current) {
    const claim = operation
      ? `${operation} in progress`
      : claimOn(worktrees, `refs/heads/${current.name}`, location.path);
    outcome = allows(current.name, true)
      ? await currentBranchOutcome(runner, location, current, claim, options)
      : heldOutcome(current);
  } else if (operation) {
    outcome = { result: "skipped", reason: `${operation} in progress`, idle: true, retry: true };
  } else {
    outcome = { result: "skipped", reason: await whyNoBranch(runner, location, branches), idle: true };
  }
  return combine(at, outcome, others, policy);
}

/** The checked-out branch the policy does not name: it says so only when it would otherwise have moved. */
function heldOutcome(current: BranchInfo): Outcome {
  if (!current.upstream || current.gone || current.behind === 0) return { result: "up-to-date", idle: true };
  return { result: "skipped", policyHeld: true };
}

/** HEAD names no branch that has commits: detached, or on a branch not born yet (`git switch --orphan`). */
async function whyNoBranch(
  runner: GitRunner,
  location: RepoLocation,
  branches: BranchInfo[],
): Promise<string> {
  const { stdout, code } = await runner.run(["symbolic-ref", "-q", "--short", "HEAD"], {
    cwd: location.path,
    allowFailure: true,
  });
  if (code !== 0) return "HEAD is detached";
  return branches.length === 0 ? "no commits yet" : `${stdout.trim()} has no commits yet`;
}

interface Outcome extends Pick<SyncResult, "result" | "reason" | "halted" | "retry"> {
  /** The checked-out branch had nothing to move: other branches' outcome decides the result. */
  idle?: boolean;
  /** The checked-out branch was behind and the policy left it alone. */
  policyHeld?: boolean;
}

async function currentBranchOutcome(
  runner: GitRunner,
  location: RepoLocation,
  current: BranchInfo,
  claim: string | null,
  options: FastForwardOptions,
): Promise<Outcome> {
  if (!current.upstream) return { result: "skipped", reason: "branch has no upstream", idle: true };
  if (current.gone) return { result: "skipped", reason: "upstream branch is gone", idle: true };
  if (current.behind === 0) return { result: "up-to-date", idle: true };
  if (current.ahead > 0) {
    return { result: "skipped", reason: "diverged: local commits are not on the upstream" };
  }
  if (claim) return { result: "blocked", reason: claim, retry: true };

  const target = await resolveCommit(runner, location, current.upstream);
  const incoming = await incomingPaths(runner, location, current.sha, target);
  // Judged without the lock first, so a refusal never holds the user's git commands up; judged again under it.
  const inTheWay = changesInTheWay(incoming, await readLocalChanges(runner, location));
  if (inTheWay.length > 0) {
    return {
      result: "blocked",
      reason: `local changes would be overwritten: ${describeChanges(inTheWay)}`,
      retry: true,
    };
  }
  const missing = await missingIncomingObjects(runner, location, current.sha, target);
  if (missing) return { result: "blocked", reason: missing, retry: true };
  const filter = await unusableRequiredFilter(runner, location, target, incoming);
  if (filter) return { result: "blocked", reason: filter };

  for (let attempt = 0; await indexLocked(location); attempt++) {
    if (attempt >= (options.lockRetries ?? 2)) {
      return { result: "blocked", reason: "index.lock exists (another git command is running)", retry: true };
    }
    await options.sleep(500 * (attempt + 1));
  }
  const quiet = quietOf(options);
  if (!await waitForStillness(location, quiet)) {
    return { result: "blocked", reason: USER_ACTIVE, retry: true };
  }
  const move = { branch: current.name, from: current.sha, to: target, incoming };
  return fromMove(await moveCheckedOutBranch(runner, location, move, options.now, quiet.ms), move);
}

function quietOf(options: FastForwardOptions): Quiet {
  return { ms: options.quietMs ?? USER_QUIET_MS, sleep: options.sleep };
}

function fromMove(outcome: MoveOutcome, move: { branch: string; from: string; to: string }): Outcome {
  switch (outcome.kind) {
    case "moved":
      return {
        result: "fast-forwarded",
        reason: `${move.branch} ${shortSha(move.from)}..${shortSha(move.to)}`,
      };
    case "refused":
      return { result: "blocked", reason: outcome.reason, retry: outcome.retry };
    case "undone":
      return { result: "failed", reason: outcome.reason, retry: outcome.retry };
    case "halted":
      return { result: "failed", reason: outcome.reason, halted: true, retry: true };
  }
}

/**
 * The checked-out branch's outcome leads: a branch that needed to move and did not says why, whatever else
 * moved. When it had nothing to move, the other branches decide: moved, or left alone and why. Branches the
 * policy held are named once, after the policy, and are no cause to retry: only a config change moves them.
 */
function combine(at: string, outcome: Outcome, others: OtherBranches, policy: AutoPull): SyncResult {
  const { moved, notes, held } = others;
  let result = outcome.result;
  if (outcome.idle && moved.length > 0) result = "fast-forwarded";
  else if (outcome.idle && result === "up-to-date" && notes.length + held.length > 0) result = "skipped";
  const reason = [outcome.reason ?? "", policyNote(outcome, held, policy), ...moved, ...notes]
    .filter(Boolean).join("; ");
  const sync: SyncResult = { at, result };
  if (reason) sync.reason = reason;
  if (held.length > 0) sync.policyHeld = held;
  if (outcome.halted) sync.halted = true;
  if (outcome.retry || notes.length > 0) sync.retry = true;
  return sync;
}

/** How many held branches the reason names; `policyHeld` lists them all. */
const NAMED_HELD = 5;

/** `policy: autoPull is current (not moved: topic, wip)`, or "" when the policy held nothing back. */
function policyNote(outcome: Outcome, held: string[], policy: AutoPull): string {
  if (!outcome.policyHeld && held.length === 0) return "";
  if (held.length === 0) return policyReason(policy);
  const more = held.length > NAMED_HELD ? ` and ${held.length - NAMED_HELD} more` : "";
  return `${policyReason(policy)} (not moved: ${held.slice(0, NAMED_HELD).join(", ")}${more})`;
}
