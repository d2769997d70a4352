/**
 * The receive loop: long polls back to back (no sleeps between polls), each message validated and handed on,
 * deleted once its repository's scheduler took it. A bad message is logged and deleted; it never stops the
 * loop. Messages are judged by what they say, never by this machine's clock against the queue's.
 */

import { InvalidEventError, parsePushEvent } from "../events/parse_event.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { QueueMessage, Subscriber } from "../events/subscriber.ts";
import { EXTEND_EVERY_SECONDS, HANDLING_VISIBILITY_SECONDS } from "../events/queue_settings.ts";
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

const EXTEND_EVERY_MS = EXTEND_EVERY_SECONDS * 1000;

export async function consumeQueue(deps: ConsumerDeps, signal: AbortSignal): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const backoff = new Backoff();
  while (!signal.aborted) {
    let messages: QueueMessage[];
    try {
      messages = await deps.subscriber.receive(signal);
      backoff.reset();
      deps.outages?.succeeded("sqs");
    } catch (error) {
      if (signal.aborted) break;
      // Capped at a few seconds: the end of an outage of any length is noticed quickly.
      const delay = backoff.next();
      if (deps.outages) deps.outages.failed("sqs", error);
      else {
        deps.log.warn("Cannot receive push events, retrying in {seconds} s: {error}", {
          seconds: (delay / 1000).toFixed(1),
          error: (error as Error).message,
        });
      }
      await deps.sleep(delay);
      continue;
    }
    // Received hidden for a second only (queue_settings.ts): each message is hidden for its handling, or
    // deleted, before the next receive.
    const taken = messages.map((message) => ({ message, event: triage(deps, message) }));
    await Promise.all(taken.map(({ message, event }) => event ? hold(deps, message) : remove(deps, message)));
    for (const { message, event } of taken) {
      if (!event) continue;
      const task = handleMessage(deps, message, event, signal).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  }
  await Promise.allSettled([...inFlight]);
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

/** Hidden for as long as it is handled; a failure is logged, and the message may come again (harmless). */
async function hold(deps: ConsumerDeps, message: QueueMessage): Promise<void> {
  try {
    await deps.subscriber.extend(message, HANDLING_VISIBILITY_SECONDS);
  } catch (error) {
    deps.log.warn("Cannot extend message {id}: {error}", { id: message.id, error: (error as Error).message });
  }
}

async function handleMessage(
  deps: ConsumerDeps,
  message: QueueMessage,
  event: PushEvent,
  signal: AbortSignal,
): Promise<void> {
  const keepAlive = setInterval(() => void hold(deps, message), EXTEND_EVERY_MS);
  try {
    await deps.handle(event);
  } catch (error) {
    // Left in the queue: it comes back after the visibility timeout and is tried again.
    deps.log.error("Handling push of {repository} failed: {error}", {
      repository: event.repository,
      error: (error as Error).message,
    });
    return;
  } finally {
    clearInterval(keepAlive);
  }
  // Taken as the daemon stops: its scheduler runs nothing more, so the next daemon gets it at once.
  if (signal.aborted) return await release(deps, message);
  await remove(deps, message);
}

/** Bounded: an event may name a thousand refs. */
function describeRefs(event: PushEvent): string {
  const shown = event.refs.slice(0, 5).map((r) => `${r.ref}@${r.sha.slice(0, 7)}`).join(", ");
  return event.refs.length > 5 ? `${shown} and ${event.refs.length - 5} more` : shown;
}

async function release(deps: ConsumerDeps, message: QueueMessage): Promise<void> {
  try {
    await deps.subscriber.release?.(message);
  } catch (error) {
    // It comes back after the visibility timeout instead.
    deps.log.warn("Cannot hand back message {id}: {error}", {
      id: message.id,
      error: (error as Error).message,
    });
  }
}

async function remove(deps: ConsumerDeps, message: QueueMessage): Promise<void> {
  try {
    await deps.subscriber.delete(message);
  } catch (error) {
    deps.log.warn("Cannot delete message {id}: {error}", { id: message.id, error: (error as Error).message });
  }
}
