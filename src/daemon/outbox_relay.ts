/**
 * Publishes what lands in the outbox: events the hook relayed to this daemon, events the hook could not
 * publish itself, and pushes the daemon noticed on its own. A hook's entry waits until its push landed
 * (src/events/landing.ts); one the remote rejected is dropped. It remembers what it published, so a push is
 * announced once. Entries of another host name belong to another config in this home (its own topic, its own
 * daemon) and are left for that daemon. The daemon runs one for as long as it runs; with no daemon, the hook
 * script starts a one-shot one (`gitargus hook publish`, which calls `drain`).
 */

import type { Outbox, OutboxEntry } from "../events/outbox.ts";
import type { Publisher } from "../events/publisher.ts";
import type { PushEvent } from "../events/push_event.ts";
import { holdMailbox } from "../events/relay.ts";
import type { Logger } from "../log/logger.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { Coalescer } from "../util/coalescer.ts";
import { type LandingDeps, landingOf } from "../events/landing.ts";

/** Announced pushes are remembered this long: far beyond the moment the daemon notices the push itself. */
const REMEMBER_MS = 3_600_000;
/**
 * How soon a push in flight is looked at again: every 20 ms for its first second, so an announcement follows
 * a quick push's landing at once, then less often (at most every 500 ms), so a long upload does not cost two
 * processes every 20 ms.
 */
export function landingPollMs(ageMs: number): number {
  return ageMs < 1000 ? 20 : Math.min(500, Math.round(ageMs / 10));
}
/** A relay without the mailbox (another held it at start) asks for it again at most this often. */
const RETAKE_MAILBOX_MS = 10_000;

export class OutboxRelay {
  readonly #announced = new Map<string, number>();
  readonly #flushes = new Coalescer(() => this.#flushOnce());
  #watcher: Deno.FsWatcher | null = null;
  #mailbox: Deno.FsFile | null = null;
  #started = false;
  #stopped = false;
  #mailboxAskedAt = 0;
  #landingPoll: ReturnType<typeof setTimeout> | null = null;
  /** What the last flush left: entries of pushes still in flight, and whether a publish failed. */
  #left = { inFlight: 0, failed: false, pollMs: 0 };

  constructor(
    private readonly outbox: Outbox,
    private readonly publisher: Publisher,
    private readonly log: Logger,
    /** Failed publishes report here (logged once per outage); the daemon retries while SNS is down. */
    private readonly outages?: OutageTracker,
    /** This config's host name: its mailbox, and the only source it publishes. Unset, it publishes all. */
    private readonly hostname?: string,
    /** How to tell whether a hook's push landed; without it every entry is published as it is found. */
    private readonly landing?: LandingDeps,
  ) {}

  /** Takes the mailbox role: holds the lock the hook looks for, and publishes whatever arrives, as it arrives. */
  async start(): Promise<void> {
    this.#started = true;
    await Deno.mkdir(this.outbox.dir, { recursive: true });
    this.#mailbox = await this.#takeMailbox();
    // Without the role hooks start one-shot publishers; this relay still flushes what is left in the outbox,
    // and asks for the role again (a one-shot publisher holds it only while it publishes).
    if (this.hostname && !this.#mailbox) {
      this.log.info("Another process relays the outbox for now; asking again every {seconds} s", {
        seconds: RETAKE_MAILBOX_MS / 1000,
      });
    }
    try {
      this.#watcher = Deno.watchFs(this.outbox.dir, { recursive: false });
      void this.#pump(this.#watcher);
    } catch (error) {
      // Without a watch the heartbeat still flushes the outbox; only the delay grows.
      this.log.warn("Cannot watch the outbox: {error}", { error: (error as Error).message });
    }
    await this.flush();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#landingPoll !== null) clearTimeout(this.#landingPoll);
    this.#watcher?.close();
    this.#mailbox?.close();
    this.#mailbox = null;
    await this.#flushes.idle();
  }

  /**
   * The one-shot publisher's life: take the mailbox (false when a daemon or another publisher has it: that
   * one publishes), publish until nothing of this host waits in flight or a publish failed (the entries stay
   * for the next relay), give the mailbox up, and look once more: a hook may have written between the last
   * flush and the letting go, having found the mailbox held.
   */
  async drain(limitMs: number, sleep: (ms: number) => Promise<void>): Promise<boolean> {
    const end = Date.now() + limitMs;
    let took = false;
    while (Date.now() < end) {
      this.#mailbox = await this.#takeMailbox();
      if (!this.#mailbox) return took;
      took = true;
      do {
        await this.flush();
        if (this.#left.inFlight > 0) await sleep(this.#left.pollMs);
      } while (this.#left.inFlight > 0 && !this.#left.failed && Date.now() < end);
      this.#mailbox.close();
      this.#mailbox = null;
      if (this.#left.failed || !await this.#ownWaiting()) return took;
    }
    return took;
  }

  /** True when this push was published by this daemon, or waits in the outbox to be. */
  async knows(event: Pick<PushEvent, "repository" | "refs">): Promise<boolean> {
    const pending = new Set<string>();
    for (const entry of await this.outbox.list(this.log)) {
      for (const ref of entry.event.refs) pending.add(key(entry.event.repository, ref));
    }
    return event.refs.every((ref) => {
      const k = key(event.repository, ref);
      return this.#announced.has(k) || pending.has(k);
    });
  }

  async enqueue(event: PushEvent): Promise<void> {
    await this.outbox.add(event);
    await this.flush();
  }

  /** One flush at a time; a request during a flush runs one more right after it. */
  flush(): Promise<void> {
    return this.#flushes.run();
  }

  async #flushOnce(): Promise<void> {
    const now = Date.now();
    for (const [k, at] of this.#announced) if (now - at > REMEMBER_MS) this.#announced.delete(k);
    if (this.#started && !this.#stopped && this.hostname && !this.#mailbox) {
      this.#mailbox = await this.#takeMailbox(RETAKE_MAILBOX_MS);
    }
    this.#left = { inFlight: 0, failed: false, pollMs: Infinity };
    for (const waiting of await this.outbox.list(this.log)) {
      if (this.hostname !== undefined && waiting.event.source !== this.hostname) continue;
      const entry = await this.#landed(waiting);
      if (entry === "in flight") {
        this.#left.inFlight++;
        const age = Date.now() - (waiting.awaiting?.since ?? Date.now());
        this.#left.pollMs = Math.min(this.#left.pollMs, landingPollMs(age));
        continue;
      }
      if (entry === "rejected") {
        await this.outbox.remove(waiting);
        this.log.info("Not announcing the push of {repository}: the remote did not take it", {
          repository: waiting.event.repository,
        });
        continue;
      }
      const sent = this.outages?.sending();
      try {
        await this.publisher.publish(entry.event);
      } catch (error) {
        this.#left.failed = true;
        if (this.outages) this.outages.failed("sns", error, sent);
        else {
          this.log.warn("Cannot publish the push of {repository} yet: {error}", {
            repository: entry.event.repository,
            error: (error as Error).message,
          });
        }
        return;
      }
      this.outages?.succeeded("sns");
      for (const ref of entry.event.refs) this.#announced.set(key(entry.event.repository, ref), Date.now());
      await this.outbox.remove(entry);
      this.log.info("Published the push of {repository} from the outbox", {
        repository: entry.event.repository,
      });
    }
    // A daemon looks again shortly; the one-shot publisher's `drain` does its own looking.
    if (this.#left.inFlight > 0 && this.#started && !this.#stopped && this.#landingPoll === null) {
      this.#landingPoll = setTimeout(() => {
        this.#landingPoll = null;
        void this.flush();
      }, this.#left.pollMs);
    }
  }

  /** The entry as it is to be published (only the refs that landed), or why not yet or never. */
  async #landed(entry: OutboxEntry): Promise<OutboxEntry | "in flight" | "rejected"> {
    if (!entry.awaiting || !this.landing) return entry;
    const landing = await landingOf(this.landing, { event: entry.event, ...entry.awaiting });
    if (landing.state === "waiting") return "in flight";
    if (landing.state === "rejected") return "rejected";
    return { ...entry, event: { ...entry.event, refs: landing.refs } };
  }

  /** The mailbox of this host, unless another relay holds it (or it was asked for within `everyMs`). */
  async #takeMailbox(everyMs = 0): Promise<Deno.FsFile | null> {
    if (!this.hostname || Date.now() - this.#mailboxAskedAt < everyMs) return null;
    this.#mailboxAskedAt = Date.now();
    return await holdMailbox(this.outbox.dir, this.hostname).catch(() => null);
  }

  async #ownWaiting(): Promise<boolean> {
    const entries = await this.outbox.list(this.log);
    return entries.some((entry) => this.hostname === undefined || entry.event.source === this.hostname);
  }

  async #pump(watcher: Deno.FsWatcher): Promise<void> {
    try {
      for await (const event of watcher) {
        if (event.paths.some((p) => p.endsWith(".json"))) void this.flush();
      }
    } catch {
      // Closed at stop.
    }
  }
}

function key(repository: string, ref: { ref: string; sha: string }): string {
  return `${repository}\0${ref.ref}\0${ref.sha}`;
}
