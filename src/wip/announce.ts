/**
 * Telling the other machines that a snapshot was saved or dropped. The event is an ordinary push event of
 * the snapshot's ref, since that is what happened on the remote: every daemon already reads it, one of an
 * earlier version finds no branch to move in it and does nothing, and the FIFO group of the repository keeps
 * it in order with the repository's real pushes.
 */

import type { Outbox } from "../events/outbox.ts";
import type { Publisher } from "../events/publisher.ts";
import type { PushEvent } from "../events/push_event.ts";
import { redactCredentials } from "../util/redact.ts";

export interface AnnounceDeps {
  /** Built only when needed; throws when no topic is configured. */
  publisher: () => Promise<Publisher>;
  /** Where an event that cannot be published now waits for the daemon to send it; none: it is lost. */
  outbox?: Outbox;
  now: () => Date;
  deadlineMs?: number;
}

export interface WipChange {
  host: string;
  repository: string;
  remote: string;
  ref: string;
  /** The snapshot commit; all zeros for a drop. */
  sha: string;
}

export type Announced = { published: true } | { published: false; reason: string; queued: boolean };

const DEADLINE_MS = 10_000;

export function wipEvent(change: WipChange, at: Date): PushEvent {
  return {
    v: 1,
    type: "push",
    source: change.host,
    repository: change.repository,
    remote: redactCredentials(change.remote),
    refs: [{ ref: change.ref, sha: change.sha }],
    at: at.toISOString(),
  };
}

/** Publishes at once; when AWS does not answer, the daemon's outbox relay sends it later. */
export async function announceWip(deps: AnnounceDeps, change: WipChange): Promise<Announced> {
  const event = wipEvent(change, deps.now());
  let publisher: Publisher;
  try {
    publisher = await deps.publisher();
  } catch (error) {
    // No topic: nobody could send it later either.
    return { published: false, reason: (error as Error).message, queued: false };
  }
  try {
    await publisher.publish(event, AbortSignal.timeout(deps.deadlineMs ?? DEADLINE_MS));
    return { published: true };
  } catch (error) {
    const queued = deps.outbox ? await deps.outbox.add(event).then(() => true, () => false) : false;
    return { published: false, reason: (error as Error).message, queued };
  }
}
