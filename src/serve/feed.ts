/**
 * One reader of the store for every browser: the feed reads the store at most once per poll period, and only
 * while someone watches (an open event stream) or asks (an API request finding its copy older than that).
 * Each read is compared with the last and the differences go out as numbered events; a client that
 * reconnects with the number of the last event it saw gets what it missed, or a fresh snapshot when that is
 * no longer kept.
 */

import type { StoreSnapshot } from "../store/store.ts";
import { buildReport, type StatusReport } from "../report/status_report.ts";
import type { Clock } from "../util/clock.ts";
import { type Activity, activityBetween, type ActivityDraft, seedActivity } from "./activity.ts";
import { reportChanges } from "./changes.ts";
import type { MissingOf } from "./missing.ts";
import type { MissingRepository } from "../clone/mod.ts";

export interface FeedEvent {
  id: string;
  event: string;
  data: unknown;
}

export interface FeedDeps {
  read: () => Promise<StoreSnapshot>;
  clock: Clock;
  pollMs: number;
  /** The machine the dashboard runs on (its cells word another machine's work in progress for it). */
  localHost?: string;
  /** A failed read, once per change of its message; null when reads work again. */
  onReadProblem?: (message: string | null) => void;
  /** What this machine lacks; a change is sent as a `missing` event. */
  missing?: MissingOf;
}

const KEPT_EVENTS = 1_000;
const KEPT_ACTIVITY = 100;

export class Feed {
  readonly #boot = crypto.randomUUID().slice(0, 8);
  #seq = 0;
  #report: StatusReport | null = null;
  #readAt = 0;
  /** The last `missing` list, and as JSON, to send only changes. */
  #missingList: MissingRepository[] = [];
  #missing: string | null = null;
  #reading: Promise<StatusReport> | null = null;
  readonly #events: FeedEvent[] = [];
  readonly #activity: Activity[] = [];
  readonly #listeners = new Set<(event: FeedEvent) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #problem: string | null = null;
  #closed = false;

  constructor(private readonly deps: FeedDeps) {}

  /** The latest report, read again when older than a poll period. */
  async report(): Promise<StatusReport> {
    if (this.#report && this.deps.clock.now().getTime() - this.#readAt < this.deps.pollMs) {
      return this.#report;
    }
    return await this.#read();
  }

  /** What this machine lacks, as of the last report: computed once per read, for every page and request. */
  missingHere(): MissingRepository[] {
    return this.#missingList;
  }

  activity(): Activity[] {
    return [...this.#activity];
  }

  /** The read problem, if the last read failed. */
  get problem(): string | null {
    return this.#problem;
  }

  /**
   * Starts delivering events. `lastEventId` from a reconnecting client: what it missed comes back, or null
   * when it must start over from a snapshot.
   */
  subscribe(listener: (event: FeedEvent) => void, lastEventId: string | null): {
    missed: FeedEvent[] | null;
    close: () => void;
  } {
    this.#listeners.add(listener);
    this.#schedule(0);
    return { missed: this.#missedSince(lastEventId), close: () => this.#unsubscribe(listener) };
  }

  /** Sends an event to every client (silence lists, action progress); activity is kept for new clients. */
  emit(event: string, data: unknown): FeedEvent {
    const sent = { id: `${this.#boot}-${++this.#seq}`, event, data };
    this.#events.push(sent);
    if (this.#events.length > KEPT_EVENTS) this.#events.shift();
    for (const listener of this.#listeners) listener(sent);
    return sent;
  }

  addActivity(draft: ActivityDraft): void {
    const item: Activity = { id: `a${this.#seq + 1}`, ...draft };
    this.#activity.unshift(item);
    this.#activity.length = Math.min(this.#activity.length, KEPT_ACTIVITY);
    this.emit("activity", item);
  }

  /** Reads again soon (an action changed something here), without waiting for the next period. */
  refreshSoon(): void {
    this.#readAt = 0;
    if (this.#listeners.size > 0) this.#schedule(0);
  }

  lastEventId(): string {
    return `${this.#boot}-${this.#seq}`;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #missedSince(lastEventId: string | null): FeedEvent[] | null {
    if (lastEventId === null) return null;
    const match = /^([\w]+)-(\d+)$/.exec(lastEventId);
    if (!match || match[1] !== this.#boot) return null;
    const seen = Number(match[2]);
    const oldest = this.#events[0] ? Number(this.#events[0].id.split("-")[1]) : this.#seq + 1;
    if (seen > this.#seq || seen < oldest - 1) return null;
    return this.#events.filter((e) => Number(e.id.split("-")[1]) > seen);
  }

  #unsubscribe(listener: (event: FeedEvent) => void): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), ms);
  }

  async #tick(): Promise<void> {
    const due = this.#readAt + this.deps.pollMs - this.deps.clock.now().getTime();
    if (due > 0) return this.#schedule(due);
    await this.#read().catch(() => {});
    if (this.#listeners.size > 0) this.#schedule(this.deps.pollMs);
  }

  #read(): Promise<StatusReport> {
    this.#reading ??= this.#readOnce().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  async #readOnce(): Promise<StatusReport> {
    let snapshot: StoreSnapshot;
    try {
      snapshot = await this.deps.read();
    } catch (error) {
      this.#setProblem(`cannot read the store: ${(error as Error).message}`);
      // Readers keep the last good report; a first read that fails has none to give.
      this.#readAt = this.deps.clock.now().getTime();
      if (this.#report) return this.#report;
      throw error;
    }
    this.#setProblem(null);
    const next = buildReport(snapshot, this.deps.clock.now());
    this.#readAt = this.deps.clock.now().getTime();
    const previous = this.#report;
    this.#report = next;
    if (!previous) {
      for (const draft of seedActivity(next).slice(0, KEPT_ACTIVITY).reverse()) this.addActivity(draft);
      await this.#noteMissing(next, false);
      return next;
    }
    for (const change of reportChanges(previous, next, this.deps.localHost ?? null)) {
      this.emit(change.event, change.data);
    }
    for (const draft of activityBetween(previous, next)) this.addActivity(draft);
    await this.#noteMissing(next, true);
    return next;
  }

  /** A repository cloned here, or one new elsewhere, changes what is missing: the pages are told. */
  async #noteMissing(report: StatusReport, announce: boolean): Promise<void> {
    if (!this.deps.missing) return;
    const list = await this.deps.missing(report).catch(() => null);
    if (list === null) return;
    const text = JSON.stringify(list);
    if (text === this.#missing) return;
    this.#missing = text;
    this.#missingList = list;
    if (announce) this.emit("missing", { missingHere: list });
  }

  #setProblem(message: string | null): void {
    if (message === this.#problem) return;
    this.#problem = message;
    this.deps.onReadProblem?.(message);
    this.emit("problem", { message });
  }
}
