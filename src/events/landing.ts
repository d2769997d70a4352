/**
 * Has a push landed? The hook runs before git sends anything, so its event waits in the outbox until the
 * push is known to have succeeded: git moves a branch's remote-tracking ref only after the remote took it.
 * Receivers then fetch once, and a push the remote rejected is never announced.
 *
 * While the pushing git runs, a ref counts as landed when its remote-tracking ref shows the pushed sha (or is
 * gone, for a deletion). Once that git has ended, what has not landed was rejected, except refs git keeps no
 * remote-tracking ref for (tags, a push to a URL, a narrow fetch refspec): those cannot be told from here and
 * are announced, as before the hook waited at all.
 */

import type { GitRunner } from "../git/runner.ts";
import type { PushedRef, PushEvent } from "./push_event.ts";
import { isDeletion } from "./ref_format.ts";
import { remoteTrackingRefs } from "../git/ref_files.ts";

/** Past this the pushing git counts as ended whatever it does: an entry must not wait forever. */
export const LANDING_LIMIT_MS = 10 * 60_000;

export type Landing =
  | { state: "waiting" }
  | { state: "landed"; refs: PushedRef[] }
  | { state: "rejected" };

export interface LandingDeps {
  runner: GitRunner;
  /** The configured repository's folder, null when it is not configured (any more). */
  pathOf: (repository: string) => string | null;
  /** True while the process `pid` runs. */
  alive: (pid: number) => Promise<boolean>;
  now: () => number;
}

/** An outbox entry as far as landing goes: the event, the git that pushed it, when the hook wrote it. */
export interface AwaitedPush {
  event: PushEvent;
  pusher: number;
  since: number;
}

export async function landingOf(deps: LandingDeps, push: AwaitedPush): Promise<Landing> {
  const { event } = push;
  const path = deps.pathOf(event.repository);
  // Nothing to look at: announce as the hook used to (a repository removed from the config meanwhile).
  if (path === null) return { state: "landed", refs: event.refs };
  const tracking = await trackingRefs(deps.runner, path, event.remote);
  const landed = event.refs.filter((ref) => shows(tracking, event.remote, ref));
  if (landed.length === event.refs.length) return { state: "landed", refs: landed };
  const ended = deps.now() - push.since > LANDING_LIMIT_MS || !await deps.alive(push.pusher);
  if (!ended) return { state: "waiting" };
  // git may have moved the refs between the look above and its exit: look once more.
  const after = await trackingRefs(deps.runner, path, event.remote);
  const announced = event.refs.filter((ref) =>
    shows(after, event.remote, ref) || !after.has(trackingName(event.remote, ref) ?? "")
  );
  return announced.length > 0 ? { state: "landed", refs: announced } : { state: "rejected" };
}

/** `refs/heads/x` pushed to remote `origin` is tracked as `refs/remotes/origin/x`; null for anything else. */
function trackingName(remote: string, ref: PushedRef): string | null {
  if (!ref.ref.startsWith("refs/heads/") || !isRemoteName(remote)) return null;
  return `refs/remotes/${remote}/${ref.ref.slice("refs/heads/".length)}`;
}

function shows(tracking: Map<string, string>, remote: string, ref: PushedRef): boolean {
  const name = trackingName(remote, ref);
  if (name === null) return false;
  return isDeletion(ref.sha) ? !tracking.has(name) : tracking.get(name) === ref.sha;
}

/** A remote's name, not a URL or a path (those have no remote-tracking refs). */
function isRemoteName(remote: string): boolean {
  return remote !== "" && !/[/:\\]/.test(remote) && !remote.startsWith(".");
}

async function trackingRefs(runner: GitRunner, path: string, remote: string): Promise<Map<string, string>> {
  if (!isRemoteName(remote)) return new Map();
  const read = await remoteTrackingRefs(path, remote);
  if (read) return read;
  const { stdout, code } = await runner.run(
    ["for-each-ref", "--format=%(refname) %(objectname)", `refs/remotes/${remote}/`],
    { cwd: path, allowFailure: true },
  );
  if (code !== 0) return new Map();
  return new Map(
    stdout.split("\n").filter(Boolean).map((line) => line.split(" ") as [string, string]),
  );
}

/** `kill -0`: the one way both Linux and macOS say whether a process runs, without signalling it. */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("kill", {
      args: ["-0", String(pid)],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}
