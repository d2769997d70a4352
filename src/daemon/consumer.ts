/**
 * The receive loop: long polls back to back (no sleeps between polls), each message validated and handed on,
 * deleted once its repository's scheduler took it, before the next poll. A bad message is logged and
 * deleted; it never stops the loop. Messages are judged by what they say, never by this machine's clock
 * against the queue's.
 */

import { InvalidEventError, parsePushEvent } from "../events/parse_event.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { QueueMessage, Subscriber } from "../events/subscriber.ts";
import type { Logger } from "../log/logger.ts";
import { Backoff } from "../aws/backoff.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { escapeText } from "../util/escape.ts";

export interface ConsumerDeps {
  subscriber: Subscriber;
  log: Logger;
  hostname: string;
  isConfigured: (repository: string) => boolean;
  /**
   * Takes the event into its repository's pending work and resolves at once, not when it is applied: a FIFO
   * queue holds back a repository's next message while one is in flight, so a push waiting to land would
   * otherwise keep every newer push of that repository out of reach.
   */
  handle: (event: PushEvent) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  /** Receive failures report here (logged once per outage); without it each failure is logged. */
  outages?: OutageTracker;
}

export async function consumeQueue(deps: ConsumerDeps, signal: AbortSignal): Promise<void> {
  const backoff = new Backoff();
  while (!signal.aborted) {
    let messages: QueueMessage[];
    const sent = deps.outages?.sending();
    try {
      messages = await deps.subscriber.receive(signal);
      deps.outages?.succeeded("sqs");
    } catch (error) {
      if (signal.aborted) break;
      // Capped at a few seconds: the end of an outage of any length is noticed quickly.
      const delay = backoff.next();
      if (deps.outages) deps.outages.failed("sqs", error, sent);
      else {
        deps.log.warn("Cannot receive push events, retrying in {seconds} s: {error}", {
          seconds: (delay / 1000).toFixed(1),
          error: (error as Error).message,
        });
      }
      await deps.sleep(delay);
      continue;
    }
    // Received visible (queue_settings.ts): each message is taken before the next receive, which would
    // otherwise return it again.
    const outcomes = await Promise.all(messages.map((message) => take(deps, message, signal)));
    if (outcomes.includes("retry")) await deps.sleep(backoff.next());
    else backoff.reset();
  }
}

/**
 * "taken": handled and deleted (or deleted as not for this machine); "left": the daemon stops, so it stays
 * for the next one, visible at once; "retry": it could not be handled or deleted, and comes again at the
 * next receive, after a backoff. Nothing is hidden: a message received visible is not in flight, and SQS
 * refuses to change the visibility of one that is not.
 */
async function take(
  deps: ConsumerDeps,
  message: QueueMessage,
  signal: AbortSignal,
): Promise<"taken" | "left" | "retry"> {
  const event = triage(deps, message);
  if (event) {
    if (signal.aborted) return "left";
    try {
      await deps.handle(event);
    } catch (error) {
      deps.log.error("Handling push of {repository} failed: {error}", {
        repository: escapeText(event.repository),
        error: (error as Error).message,
      });
      // Left in the queue, visible: it is received again after the loop's backoff.
      return "retry";
    }
    // Taken as the daemon stops: its scheduler runs nothing more, and the next daemon gets it at once.
    if (signal.aborted) return "left";
  }
  return await remove(deps, message) ? "taken" : "retry";
}

/** The event to handle, or null for a message to delete (logged): not valid, this host's own, not here. */
function triage(deps: ConsumerDeps, message: QueueMessage): PushEvent | null {
  const { log } = deps;
  let event: PushEvent;
  try {
    event = parsePushEvent(message.body);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    log.warn("Discarding message {id}: {reason}", { id: escapeText(message.id), reason: error.message });
    return null;
  }
  const named = { repository: escapeText(event.repository), source: escapeText(event.source) };
  if (event.source === deps.hostname) {
    log.debug("Skipping own push event for {repository}", named);
    return null;
  }
  if (!deps.isConfigured(event.repository)) {
    log.info("Skipping push of {repository} from {source}: not configured here", named);
    return null;
  }
  log.info("Push of {repository} from {source}: {refs}", { ...named, refs: describeRefs(event) });
  return event;
}

/** Bounded: an event may name a thousand refs. */
function describeRefs(event: PushEvent): string {
  const shown = event.refs.slice(0, 5).map((r) => `${r.ref}@${r.sha.slice(0, 7)}`).join(", ");
  return event.refs.length > 5 ? `${shown} and ${event.refs.length - 5} more` : shown;
}

/** False when it stays in the queue, to be received again (harmless: pushes are applied once). */
async function remove(deps: ConsumerDeps, message: QueueMessage): Promise<boolean> {
  try {
    await deps.subscriber.delete(message);
    return true;
  } catch (error) {
    deps.log.warn("Cannot delete message {id}: {error}", { id: message.id, error: (error as Error).message });
    return false;
  }
}
