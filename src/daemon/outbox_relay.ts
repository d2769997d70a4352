/**
 * Publishes what lands in the outbox: events the hook relayed to this daemon, events the hook could not
 * publish itself, and pushes the daemon noticed on its own. It remembers what it published, so a push is
 * announced once. Entries of another host name belong to another config in this home (its own topic, its own
 * daemon) and are left for that daemon.
 */

import type { Outbox } from "../events/outbox.ts";
import type { Publisher } from "../events/publisher.ts";
import type { PushEvent } from "../events/push_event.ts";
import { holdMailbox } from "../events/relay.ts";
import type { Logger } from "../log/logger.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { Coalescer } from "../util/coalescer.ts";

/** Announced pushes are remembered this long: far beyond the moment the daemon notices the push itself. */
const REMEMBER_MS = 3_600_000;

export class OutboxRelay {
  readonly #announced = new Map<string, number>();
  readonly #flushes = new Coalescer(() => this.#flushOnce());
  #watcher: Deno.FsWatcher | null = null;
  #mailbox: Deno.FsFile | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly publisher: Publisher,
    private readonly log: Logger,
    /** Failed publishes report here (logged once per outage); the daemon retries while SNS is down. */
    private readonly outages?: OutageTracker,
    /** This config's host name: its mailbox, and the only source it publishes. Unset, it publishes all. */
    private readonly hostname?: string,
  ) {}

  /** Takes the mailbox role: holds the lock the hook looks for, and publishes whatever arrives, as it arrives. */
  async start(): Promise<void> {
    await Deno.mkdir(this.outbox.dir, { recursive: true });
    this.#mailbox = this.hostname
      ? await holdMailbox(this.outbox.dir, this.hostname).catch(() => null)
      : null;
    // Without the role the hook publishes itself; this relay still flushes what is left in the outbox.
    if (this.hostname && !this.#mailbox) {
      this.log.warn("Another daemon relays the outbox; pushes here are published by the hook");
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
    this.#watcher?.close();
    this.#mailbox?.close();
    this.#mailbox = null;
    await this.#flushes.idle();
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
    for (const entry of await this.outbox.list(this.log)) {
      if (this.hostname !== undefined && entry.event.source !== this.hostname) continue;
      try {
        await this.publisher.publish(entry.event);
      } catch (error) {
        if (this.outages) this.outages.failed("sns", error);
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
