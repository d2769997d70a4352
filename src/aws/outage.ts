/**
 * Outages of the AWS services, as the retry sites (receive loop, store writes, heartbeat, outbox) see them.
 * An outage is logged when it starts and when it ends, with its length, once per service however many
 * retries fail in between: a long outage must not fill the log, and its end must be visible. A resource that
 * is gone (table, topic or queue deleted, an account or emulator reset) gets its own line naming the fix.
 */

import type { Logger } from "../log/logger.ts";
import type { AwsService } from "./clients.ts";

export const SERVICE_NAMES: Record<AwsService, string> = { dynamodb: "DynamoDB", sns: "SNS", sqs: "SQS" };

/** What AWS and the SDK call a table, topic or queue that does not exist, across protocols. */
const MISSING_RESOURCE = new Set([
  "ResourceNotFoundException",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "NotFoundException",
  "NotFound",
]);

export type OutageKind = "unavailable" | "missing";

export interface EndedOutage {
  service: AwsService;
  kind: OutageKind;
  ms: number;
  failures: number;
  /** The resource was found missing at some point: what it held may be gone (a table created anew). */
  resourceWasMissing: boolean;
}

/** The levels the tracker logs at: a narrow view a unit test can record. */
export type OutageLog = Pick<Logger, "info" | "warn" | "error">;

interface Outage {
  since: number;
  failures: number;
  kind: OutageKind;
  resourceWasMissing: boolean;
  /** Logged: an outage opened by a stale failure alone ends as quietly as it started. */
  announced: boolean;
}

/** True when the error, or any error it wraps, says the table, topic or queue does not exist. */
export function isMissingResource(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { name, Code, __type } = e as { name?: unknown; Code?: unknown; __type?: unknown };
    if ([name, Code, __type].some((v) => typeof v === "string" && MISSING_RESOURCE.has(v))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export class OutageTracker {
  readonly #outages = new Map<AwsService, Outage>();
  /** When each service last answered after an outage: failures of calls sent before then are old news. */
  readonly #answeredAt = new Map<AwsService, number>();
  readonly #recoveryListeners: Array<(ended: EndedOutage) => void> = [];
  #change = Promise.withResolvers<void>();

  constructor(private readonly log: OutageLog, private readonly now: () => number = Date.now) {}

  /** The time to pass to `failed` as the call's start: take it just before the call. */
  sending(): number {
    return this.now();
  }

  /**
   * A call to `service` failed. Logs only when an outage starts, or when it changes between unreachable and
   * missing. A call sent before the service answered again (one that hung on a dead connection until its
   * deadline) says nothing about now: its work is retried as in an outage, but nothing is logged unless a
   * call sent later fails too.
   */
  failed(service: AwsService, error: unknown, sentAt = this.now()): void {
    const kind: OutageKind = isMissingResource(error) ? "missing" : "unavailable";
    const stale = sentAt < (this.#answeredAt.get(service) ?? -Infinity);
    const outage = this.#outages.get(service);
    if (outage) {
      outage.failures++;
      outage.resourceWasMissing ||= kind === "missing";
      if (outage.kind === kind && (outage.announced || stale)) return;
      outage.kind = kind;
      outage.announced = true;
    } else {
      this.#outages.set(service, {
        since: this.now(),
        failures: 1,
        kind,
        resourceWasMissing: kind === "missing",
        announced: !stale,
      });
      this.#changed();
      if (stale) return;
    }
    // Without its closing period the cause reads on into the advice that follows.
    const message = (error instanceof Error ? error.message : String(error)).replace(/[.\s]+$/, "");
    if (kind === "missing") {
      this.log.error(
        "{error}: run `gitargus setup-aws` to create it again (`gitargus doctor` checks the setup); " +
          "retrying until it exists",
        { service: SERVICE_NAMES[service], error: message },
      );
    } else {
      this.log.warn("{service} unavailable, retrying quietly until it answers: {error}", {
        service: SERVICE_NAMES[service],
        error: message,
      });
    }
  }

  /** A call to `service` succeeded. Ends its outage, if any, and tells the recovery listeners. */
  succeeded(service: AwsService): void {
    const outage = this.#outages.get(service);
    if (!outage) return;
    this.#outages.delete(service);
    this.#answeredAt.set(service, this.now());
    const ended: EndedOutage = {
      service,
      kind: outage.kind,
      ms: this.now() - outage.since,
      failures: outage.failures,
      resourceWasMissing: outage.resourceWasMissing,
    };
    if (outage.announced) {
      this.log.info("{service} answers again after {seconds} s ({failures} failed calls)", {
        service: SERVICE_NAMES[service],
        seconds: (ended.ms / 1000).toFixed(1),
        failures: ended.failures,
      });
    }
    this.#changed();
    for (const listener of this.#recoveryListeners) listener(ended);
  }

  isDown(service: AwsService): boolean {
    return this.#outages.has(service);
  }

  /** How long the oldest outage still in effect has lasted; 0 when every service answers. */
  downForMs(): number {
    const since = Math.min(...[...this.#outages.values()].map((o) => o.since));
    return Number.isFinite(since) ? this.now() - since : 0;
  }

  onRecovery(listener: (ended: EndedOutage) => void): void {
    this.#recoveryListeners.push(listener);
  }

  /** Settles at the next start or end of an outage of any service. */
  changed(): Promise<void> {
    return this.#change.promise;
  }

  #changed(): void {
    this.#change.resolve();
    this.#change = Promise.withResolvers<void>();
  }
}
