/**
 * The order of one host's writes. Clocks are wrong sometimes (a laptop a day ahead, then corrected), so the
 * store orders a host's writes by a revision number that only this host hands out and that only moves
 * forward: every write carries a higher one than any the host wrote before.
 *
 * A ticket is taken when a state is read, before the write, so that of two reads in flight the later one
 * always wins however their writes interleave. The first revision is one above the highest the host's items
 * hold, learned from the store at start; a ticket taken before that (the store unreachable at start) is
 * numbered once it is learned, in the order taken. A write cannot happen without the store anyway, so
 * nothing waits that could otherwise proceed, and no clock is consulted at any point.
 *
 * Two processes of one host (two configs naming one hostname) each count on their own: a write refused
 * because the item holds a revision this process never sent for it moves the counter past that revision
 * (`learn`), and the caller reads again rather than send an older read over a state it cannot order against.
 */

import type { Store } from "./store.ts";

export interface Ticket {
  /** Final revision, when the stored highest was known as the ticket was taken. */
  readonly revision?: number;
  /** Position among the tickets taken before that. */
  readonly early?: number;
}

/** Revisions above this are damage (DynamoDB numbers reach 38 digits); writes may overwrite such items. */
export const MAX_REVISION = Number.MAX_SAFE_INTEGER;

export class HostRevisions {
  /** Highest revision issued or seen; undefined until the stored highest is learned. */
  #last: number | undefined;
  #earlyTaken = 0;
  #earlyBase = 0;
  #learning: Promise<void> | null = null;

  /** `readHighest` asks the store for the highest revision among the host's items. */
  constructor(private readonly readHighest: () => Promise<number>) {}

  take(): Ticket {
    if (this.#last !== undefined) return { revision: ++this.#last };
    return { early: ++this.#earlyTaken };
  }

  /** The ticket's revision; learns the stored highest first if needed (and throws if the store fails). */
  async revision(ticket: Ticket): Promise<number> {
    if (ticket.revision !== undefined) return ticket.revision;
    if (this.#last === undefined) {
      this.#learning ??= this.readHighest().then((highest) => this.learn(highest)).finally(() => {
        this.#learning = null;
      });
      await this.#learning;
    }
    return this.#earlyBase + ticket.early!;
  }

  /** The stored highest, read at start, or a revision another process wrote; only ever raises the counter. */
  learn(highest: number): void {
    const stored = usable(highest);
    if (this.#last === undefined) {
      this.#earlyBase = stored;
      this.#last = stored + this.#earlyTaken;
    } else this.#last = Math.max(this.#last, stored);
  }
}

/** A damaged revision (not a whole number, negative, beyond exact integers) counts as none. */
function usable(revision: number): number {
  return Number.isSafeInteger(revision) && revision > 0 && revision <= MAX_REVISION ? revision : 0;
}

const counters = new WeakMap<Store, Map<string, HostRevisions>>();

/**
 * The one counter of `hostname` for writes through `store` in this process: the monitor's repository writes
 * and the heartbeat share it, so each revision is handed out once.
 */
export function hostRevisions(store: Store, hostname: string): HostRevisions {
  const byHost = counters.get(store) ?? new Map<string, HostRevisions>();
  counters.set(store, byHost);
  let counter = byHost.get(hostname);
  if (!counter) {
    counter = new HostRevisions(async () => (await store.hostItems(hostname)).highestRevision);
    byHost.set(hostname, counter);
  }
  return counter;
}
