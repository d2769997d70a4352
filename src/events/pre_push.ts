/**
 * What the pre-push hook does: turn git's ref list into one push event and leave it in the outbox, where a
 * relay publishes it once the push landed (src/events/landing.ts). Only when the outbox cannot be written
 * does the hook publish itself. It never fails the push and never waits longer than its deadline.
 */

import type { Config, RepositoryConfig } from "../config/types.ts";
import type { Outbox } from "./outbox.ts";
import type { Publisher } from "./publisher.ts";
import type { PushedRef, PushEvent } from "./push_event.ts";
import { isObjectId, isValidRefName } from "./ref_format.ts";
import { redactCredentials } from "../util/redact.ts";
import { mainWorktreeOf } from "../git/linked_worktree.ts";
import * as localFs from "../util/local_fs.ts";

export const HOOK_DEADLINE_MS = 2000;

/** git writes `<local ref> SP <local sha> SP <remote ref> SP <remote sha>` per ref; a deletion has a zero sha. */
export function parsePrePushInput(input: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of input.split("\n")) {
    const fields = line.trim().split(" ");
    if (fields.length !== 4) continue;
    const [, localSha, remoteRef] = fields as [string, string, string, string];
    if (isValidRefName(remoteRef) && isObjectId(localSha)) refs.push({ ref: remoteRef, sha: localSha });
  }
  return refs;
}

/** The configured repository the hook runs in, matched by real path (never by guessing from names). */
export async function repositoryAt(config: Config, cwd: string): Promise<RepositoryConfig | null> {
  const here = await localFs.realPath(cwd).catch(() => cwd);
  // git runs the hook at the worktree's top, usually the configured path itself: the same path is the same
  // real path, and resolving every configured path would cost the hook a call per repository.
  const direct = config.repositories.find((repo) => repo.path === here || repo.path === cwd);
  if (direct) return direct;
  // git runs the hook in the worktree it pushes from: a linked worktree's push is its repository's push.
  const main = await mainWorktreeOf(here);
  let ofMain: RepositoryConfig | null = null;
  for (const repo of config.repositories) {
    const real = await localFs.realPath(repo.path).catch(() => null);
    if (real === here) return repo;
    if (real !== null && real === main) ofMain ??= repo;
  }
  return ofMain;
}

export type Announcement =
  /** Left to the running daemon, which publishes it once the push landed. */
  | { outcome: "relayed"; event: PushEvent }
  /** No daemon runs: left in the outbox for the one-shot publisher the hook script starts next. */
  | { outcome: "handed"; event: PushEvent }
  /** Published at once (the outbox cannot be written, or an older hook script named no pushing git). */
  | { outcome: "published"; event: PushEvent }
  | { outcome: "queued"; event: PushEvent; reason: string }
  | { outcome: "skipped"; reason: string };

export interface AnnounceDeps {
  config: Config;
  cwd: string;
  now: () => Date;
  outbox: Outbox;
  /** Built lazily: only a push that cannot go through the outbox pays for loading the SDK. */
  publisher: () => Promise<Publisher>;
  /** True while a relay (the local daemon, or a one-shot publisher) holds the outbox's mailbox. */
  daemonAlive: () => Promise<boolean>;
  /** The pushing git's pid, as the hook script passes it; unset from hook scripts older than landing. */
  pusher?: number;
  deadlineMs?: number;
}

export async function announcePush(deps: AnnounceDeps, remote: string, input: string): Promise<Announcement> {
  const repo = await repositoryAt(deps.config, deps.cwd);
  if (!repo) return { outcome: "skipped", reason: `"${deps.cwd}" is not a configured repository` };
  const refs = parsePrePushInput(input);
  if (refs.length === 0) return { outcome: "skipped", reason: "nothing is being pushed" };
  // Built from validated parts (ref names and shas were checked while parsing git's input).
  const event: PushEvent = {
    v: 1,
    type: "push",
    source: deps.config.hostname,
    repository: repo.name,
    // Pushing to a URL names the URL here, token and all: it must not travel to every machine.
    remote: redactCredentials(remote),
    refs,
    at: deps.now().toISOString(),
  };
  if (deps.pusher !== undefined) {
    const awaiting = { pusher: deps.pusher, since: deps.now().getTime() };
    // Written before the probe: a relay giving up the mailbox looks at the outbox once more after letting go,
    // so an entry never falls between a relay that just left and a hook that thought it was there.
    if (await deps.outbox.add(event, awaiting).then(() => true, () => false)) {
      return { outcome: await deps.daemonAlive() ? "relayed" : "handed", event };
    }
  } else if (await deps.daemonAlive() && await deps.outbox.add(event).then(() => true, () => false)) {
    return { outcome: "relayed", event };
  }
  // An outbox the hook cannot write (permissions, a full disk) must not swallow the push: publish it here.
  const deadline = AbortSignal.timeout(deps.deadlineMs ?? HOOK_DEADLINE_MS);
  try {
    const publisher = await deps.publisher();
    await raceDeadline(publisher.publish(event, deadline), deadline);
    return { outcome: "published", event };
  } catch (error) {
    const reason = deadline.aborted ? `no answer within ${deps.deadlineMs ?? HOOK_DEADLINE_MS} ms` : String(
      (error as Error).message ?? error,
    );
    await deps.outbox.add(event);
    return { outcome: "queued", event, reason };
  }
}

/** The SDK honours the abort signal, but a stuck DNS lookup or TLS handshake must not hold the push either. */
function raceDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("deadline reached"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
