/**
 * Has the user's git just written this worktree's index, HEAD or stash? git's `index.lock`, which the daemon
 * holds while it moves the checked-out branch, keeps every porcelain command from writing meanwhile, but some
 * read the index or HEAD before they take that lock: `git stash pop` builds its merge base from the index and
 * merges under the lock later, `git checkout` reads HEAD first. A move between the two makes such a command
 * write an index built on the tree before the move, which stages the reverse of the incoming commits.
 *
 * The same goes for a branch that is not checked out: `git checkout other` resolves the branch before it takes
 * the lock, and would switch to its new position with the files of the old.
 *
 * Such commands come in bursts (a script, an editor's sequence, `git stash` then `git stash pop`), and each
 * step leaves a file written. So the daemon moves a branch only after these files have been still for a
 * moment. Its own move writes them too: that stamp is remembered and is not the user's.
 *
 * File times are the system's clock, so the comparison uses it too, not the daemon's (testable) clock.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "../util/path.ts";
import type { RepoLocation } from "../git/repo.ts";

/** How long the files must be still before a branch moves. */
export const USER_QUIET_MS = 500;

/** Why a move waits for the user's git commands. */
export const USER_ACTIVE = "git commands are running in the repository (its index or HEAD just changed)";

/** Per git dir: the files' stamp right after this process's own last move there. */
const ownWrites = new Map<string, string>();

interface Stamp {
  text: string;
  /** The latest modification among the files, ms since the epoch (0 when none exists). */
  latest: number;
}

async function stampOf(location: RepoLocation): Promise<Stamp> {
  const files = [
    join(location.gitDir, "index"),
    join(location.gitDir, "HEAD"),
    join(location.gitDir, "logs", "HEAD"),
    join(location.commonDir, "refs", "stash"),
    join(location.commonDir, "logs", "refs", "stash"),
  ];
  let latest = 0;
  const parts = await Promise.all(files.map(async (file) => {
    const info = await localFs.stat(file).catch(() => null);
    const ms = info?.mtime?.getTime() ?? 0;
    latest = Math.max(latest, ms);
    return `${ms}:${info?.size ?? "-"}:${info?.ino ?? "-"}`;
  }));
  return { text: parts.join(" "), latest };
}

/** True while the user's git wrote one of the files less than `quietMs` ago. */
export async function userJustActed(location: RepoLocation, quietMs = USER_QUIET_MS): Promise<boolean> {
  if (quietMs <= 0) return false;
  const stamp = await stampOf(location);
  if (ownWrites.get(location.gitDir) === stamp.text) return false;
  // A file dated ahead of now by more than that is a clock set back since, not the user at work.
  return Math.abs(Date.now() - stamp.latest) < quietMs;
}

/** How many times a move waits `quietMs` for a burst of the user's commands to end before it gives up. */
export const QUIET_WAITS = 10;

/** What a move needs to wait for the user's git: how still, and how to sleep. */
export interface Quiet {
  ms: number;
  sleep: (ms: number) => Promise<void>;
}

/** Waits until the user's git has been still for `quiet.ms`; false when it never was within QUIET_WAITS. */
export async function waitForStillness(location: RepoLocation, quiet: Quiet): Promise<boolean> {
  for (let attempt = 0; await userJustActed(location, quiet.ms); attempt++) {
    if (attempt >= QUIET_WAITS) return false;
    await quiet.sleep(quiet.ms);
  }
  return true;
}

/** Called right after this process moved the branch: what it wrote is not the user's activity. */
export async function rememberOwnWrite(location: RepoLocation): Promise<void> {
  ownWrites.set(location.gitDir, (await stampOf(location)).text);
}
