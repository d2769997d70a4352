/**
 * What reaches the person: one notice per item until its state changes (the tracker only reports changes),
 * a digest when many arrive together, and nothing while this machine cannot reach AWS except the one item
 * that says so — what was raised meanwhile and is still active follows once AWS answers again.
 */

import type { AttentionItem } from "../state/attention_item.ts";
import type { ItemChange } from "./tracker.ts";

export interface Notice {
  event: "raised" | "cleared";
  item: AttentionItem;
}

/** One notice, or a digest of the notices of a burst. */
export type Delivery = { digest: false; notice: Notice } | { digest: true; notices: Notice[] };

type Timer = ReturnType<typeof setTimeout>;

export interface QuietTimers {
  set(ms: number, run: () => void): Timer;
  clear(id: Timer): void;
}

export const realTimers: QuietTimers = {
  set: (ms, run) => setTimeout(run, ms),
  clear: (id) => clearTimeout(id),
};

export interface QuietOptions {
  deliver: (delivery: Delivery) => void;
  timers?: QuietTimers;
  /** Notices arriving within this window of the first one are delivered together. */
  burstMs?: number;
  /** More notices than this in one burst become one digest. */
  digestOver?: number;
}

export const BURST_MS = 2_000;
export const DIGEST_OVER = 3;

export class QuietGate {
  #pending: Notice[] = [];
  #timer: Timer | null = null;
  #offline = false;
  /** Held while offline, by item id: the latest notice of each. */
  readonly #held = new Map<string, Notice>();
  readonly #timers: QuietTimers;

  constructor(private readonly options: QuietOptions) {
    this.#timers = options.timers ?? realTimers;
  }

  offer(changes: readonly ItemChange[]): void {
    for (const { change, item } of changes) {
      const notice: Notice = { event: change === "cleared" ? "cleared" : "raised", item };
      if (this.#offline && item.kind !== "awsUnreachable") this.#hold(notice);
      else this.#queue(notice);
    }
  }

  /** While offline only the AWS item goes out; on return what is still worth telling follows. */
  setOffline(offline: boolean): void {
    if (offline === this.#offline) return;
    this.#offline = offline;
    if (offline) return;
    const held = [...this.#held.values()];
    this.#held.clear();
    for (const notice of held) this.#queue(notice);
  }

  get offline(): boolean {
    return this.#offline;
  }

  /** Delivers what waits for its burst to end (the daemon stops). */
  flush(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    const notices = this.#pending;
    this.#pending = [];
    if (notices.length === 0) return;
    const over = this.options.digestOver ?? DIGEST_OVER;
    if (notices.length > over) this.options.deliver({ digest: true, notices });
    else for (const notice of notices) this.options.deliver({ digest: false, notice });
  }

  #hold(notice: Notice): void {
    const earlier = this.#held.get(notice.item.id);
    // Raised and cleared while offline: nobody was told, nobody needs to be.
    if (notice.event === "cleared" && earlier?.event === "raised") this.#held.delete(notice.item.id);
    else this.#held.set(notice.item.id, notice);
  }

  #queue(notice: Notice): void {
    const index = this.#pending.findIndex((p) => p.item.id === notice.item.id);
    if (index >= 0) {
      const earlier = this.#pending[index]!;
      this.#pending.splice(index, 1);
      // Raised and cleared within one burst: both dropped.
      if (notice.event === "cleared" && earlier.event === "raised") return;
    }
    this.#pending.push(notice);
    this.#timer ??= this.#timers.set(this.options.burstMs ?? BURST_MS, () => {
      this.#timer = null;
      this.flush();
    });
  }
}
