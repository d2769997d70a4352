/**
 * What the daemon does about outages of DynamoDB and SNS: while one lasts, it retries the work waiting for it
 * (unwritten states, the heartbeat, the outbox) on a short capped backoff; the moment any call succeeds again
 * it writes and publishes everything that waited, instead of leaving it for the next heartbeat. SQS needs
 * nothing here: the receive loop is its own retry.
 */

import { Backoff } from "../aws/backoff.ts";
import type { OutageTracker } from "../aws/outage.ts";
import type { Logger } from "../log/logger.ts";
import type { HostBeat } from "./host_beat.ts";
import type { RepoMonitor } from "./monitor.ts";
import type { OutboxRelay } from "./outbox_relay.ts";
import { Coalescer } from "../util/coalescer.ts";

export interface CatchUpDeps {
  outages: OutageTracker;
  monitor: RepoMonitor;
  beat: HostBeat;
  relay: OutboxRelay | null;
  log: Logger;
  stop: AbortSignal;
}

export class CatchUp {
  readonly #rounds: Coalescer;

  constructor(private readonly deps: CatchUpDeps) {
    this.#rounds = new Coalescer(() => this.#round(), () => !deps.stop.aborted);
    deps.outages.onRecovery((ended) => {
      // A table that was missing and exists again was created anew, empty: every state goes into it again.
      if (ended.service === "dynamodb" && ended.resourceWasMissing) deps.monitor.markAllUnwritten();
      void this.now();
    });
  }

  /** Runs until the stop: idle while every service answers, retrying while DynamoDB or SNS does not. */
  async retryWhileDown(sleep: (ms: number) => Promise<void>): Promise<void> {
    const { outages, stop } = this.deps;
    const backoff = new Backoff();
    while (!stop.aborted) {
      if (!outages.isDown("dynamodb") && !outages.isDown("sns")) {
        backoff.reset();
        await untilAborted(stop, outages.changed());
        continue;
      }
      await sleep(backoff.next());
      if (!stop.aborted) await this.now();
    }
  }

  /** One round of everything that waits; a request during a round runs one more right after it. */
  now(): Promise<void> {
    return this.#rounds.run();
  }

  async #round(): Promise<void> {
    const { outages, beat, monitor, relay, log } = this.deps;
    try {
      // The heartbeat is the probe when no state waits: DynamoDB can be down with nothing unwritten.
      if (outages.isDown("dynamodb")) await beat.beat();
      await monitor.flushUnwritten();
      await relay?.flush();
    } catch (error) {
      log.error("Retrying unwritten work failed: {error}", { error: (error as Error).message });
    }
  }
}

/** Waits for `event` or for the stop, whichever comes first. */
function untilAborted(signal: AbortSignal, event: Promise<void>): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    void event.then(done);
  });
}
