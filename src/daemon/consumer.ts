/**
 * The receive loop: long polls back to back (no sleeps between polls), each message validated and handed on,
 * deleted only once handled. A bad message is logged and deleted; it never stops the loop.
 */

import { InvalidEventError, parsePushEvent } from "../events/parse_event.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { QueueMessage, Subscriber } from "../events/subscriber.ts";
import { VISIBILITY_SECONDS } from "../events/queue_settings.ts";
import type { Logger } from "../log/logger.ts";

export interface ConsumerDeps {
  subscriber: Subscriber;
  log: Logger;
  hostname: string;
  isConfigured: (repository: string) => boolean;
  /** Messages the queue accepted before this were covered by the full update at start. */
  coveredBefore: () => Date | null;
  handle: (event: PushEvent) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
}

/** Late clocks must not make the daemon skip a push: only clearly older messages count as covered. */
const COVERED_MARGIN_MS = 30_000;
const EXTEND_EVERY_MS = (VISIBILITY_SECONDS / 2) * 1000;

export async function consumeQueue(deps: ConsumerDeps, signal: AbortSignal): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failures = 0;
  while (!signal.aborted) {
    let messages: QueueMessage[];
    try {
      messages = await deps.subscriber.receive(signal);
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
      deps.log.warn("Cannot receive push events, retrying in {seconds} s: {error}", {
        seconds: delay / 1000,
        error: (error as Error).message,
      });
      await deps.sleep(delay);
      continue;
    }
    for (const message of messages) {
      const task = handleMessage(deps, message).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  }
  await Promise.allSettled([...inFlight]);
}

async function handleMessage(deps: ConsumerDeps, message: QueueMessage): Promise<void> {
  const { log } = deps;
  let event: PushEvent;
  try {
    event = parsePushEvent(message.body);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    log.warn("Discarding message {id}: {reason}", { id: message.id, reason: error.message });
    return await remove(deps, message);
  }
  const covered = deps.coveredBefore();
  if (event.source === deps.hostname) {
    log.debug("Skipping own push event for {repository}", { repository: event.repository });
  } else if (!deps.isConfigured(event.repository)) {
    log.info("Skipping push of {repository} from {source}: not configured here", { ...event });
  } else if (covered && message.sentAt && message.sentAt.getTime() < covered.getTime() - COVERED_MARGIN_MS) {
    log.info("Skipping push of {repository} from {source}: older than the full update at start", {
      ...event,
    });
  } else {
    log.info("Push of {repository} from {source}: {refs}", {
      ...event,
      refs: event.refs.map((r) => `${r.ref}@${r.sha.slice(0, 7)}`).join(", "),
    });
    const keepAlive = setInterval(() => {
      deps.subscriber.extend(message, VISIBILITY_SECONDS).catch((error) =>
        log.warn("Cannot extend message {id}: {error}", { id: message.id, error: (error as Error).message })
      );
    }, EXTEND_EVERY_MS);
    try {
      await deps.handle(event);
    } catch (error) {
      // Left in the queue: it comes back after the visibility timeout and is tried again.
      log.error("Handling push of {repository} failed: {error}", {
        repository: event.repository,
        error: (error as Error).message,
      });
      return;
    } finally {
      clearInterval(keepAlive);
    }
  }
  await remove(deps, message);
}

async function remove(deps: ConsumerDeps, message: QueueMessage): Promise<void> {
  try {
    await deps.subscriber.delete(message);
  } catch (error) {
    deps.log.warn("Cannot delete message {id}: {error}", { id: message.id, error: (error as Error).message });
  }
}
