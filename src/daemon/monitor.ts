/**
 * Keeps every configured repository's state and writes it to the store when — and only when — it changed.
 * Each method is one step for one repository; the daemon decides when to call them.
 */

import type { RepositoryConfig } from "../config/types.ts";
import type { FetchResult, RepoStatus, SyncResult } from "../state/repo_status.ts";
import { statusFingerprint } from "../state/repo_status.ts";
import { fetchRepository } from "../git/fetch.ts";
import { locateRepository, readRepoStatus, type RepoLocation, unreadableStatus } from "../git/repo.ts";
import { fastForwardIfSafe } from "../sync/mod.ts";
import type { GitRunner } from "../git/runner.ts";
import { REPO_PREFIX, type Store } from "../store/store.ts";
import { hostRevisions, type Ticket } from "../store/host_revisions.ts";
import type { Logger } from "../log/logger.ts";
import { pathExists } from "../util/fs.ts";
import { currentTime } from "../util/clock.ts";
import { stillLocated } from "../git/locate.ts";
import { redactCredentials } from "../util/redact.ts";
import type { OutageTracker } from "../aws/outage.ts";

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: currentTime,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Entry {
  config: RepositoryConfig;
  location: RepoLocation | null;
  lastFetch: FetchResult | null;
  sync: SyncResult | null;
  /** Undone moves in a row, retried on refresh. */
  failedRetries: number;
  current: RepoStatus | null;
  /** Fingerprint of what the store holds, as far as this process knows. */
  stored: string | null;
  /** A state the store has not accepted yet (AWS unreachable): retried later. */
  unwritten: RepoStatus | null;
}

const MAX_FAILED_RETRIES = 3;

export interface MonitorDeps {
  runner: GitRunner;
  store: Store;
  hostname: string;
  clock: Clock;
  log: Logger;
  fetchTimeoutMs: number;
  /** Failed writes report here (logged once per outage); without it each failure is logged. */
  outages?: OutageTracker;
}

export class RepoMonitor {
  readonly #entries = new Map<string, Entry>();
  /** The revision each state was numbered with when it was read; it goes with the state to every retry. */
  readonly #tickets = new WeakMap<RepoStatus, Ticket>();
  /** Highest revision sent per repository: a refusal above it means another process of this host wrote. */
  readonly #sent = new Map<string, number>();
  /** Repositories whose stored state another process of this host wrote: read again before writing. */
  readonly #superseded = new Set<string>();
  readonly #rereading = new Set<string>();
  writes = 0;

  constructor(private readonly deps: MonitorDeps, repositories: RepositoryConfig[]) {
    for (const config of repositories) {
      this.#entries.set(config.name, {
        config,
        location: null,
        lastFetch: null,
        sync: null,
        failedRetries: 0,
        current: null,
        stored: null,
        unwritten: null,
      });
    }
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  config(name: string): RepositoryConfig | undefined {
    return this.#entries.get(name)?.config;
  }

  location(name: string): RepoLocation | null {
    return this.#entries.get(name)?.location ?? null;
  }

  status(name: string): RepoStatus | null {
    return this.#entries.get(name)?.current ?? null;
  }

  /**
   * Learns what the store already holds for this host, so a restart writes nothing that did not change and
   * numbers its writes above every earlier one, and removes repositories that are no longer configured. An
   * unreadable record of a configured repository is overwritten by the first write; others are removed.
   */
  async seedFromStore(): Promise<void> {
    const { hostname, store, log } = this.deps;
    const items = await store.hostItems(hostname);
    this.#revisions.learn(items.highestRevision);
    const unconfigured = new Set<string>();
    for (const status of items.repositories) {
      const entry = this.#entries.get(status.name);
      if (entry) entry.stored = statusFingerprint(status);
      else unconfigured.add(status.name);
    }
    for (const { key, reason } of items.unreadable) {
      log.warn("The stored record {key} of this host is unreadable ({reason}); it will be replaced", {
        key,
        reason,
      });
      const name = key.startsWith(REPO_PREFIX) ? key.slice(REPO_PREFIX.length) : null;
      if (name !== null && !this.#entries.has(name)) unconfigured.add(name);
    }
    for (const name of unconfigured) {
      log.info("Removing {name} from the store: it is no longer configured", { name });
      await store.deleteRepository(hostname, name);
    }
  }

  /** Finds the repository on disk again if it was missing (cloned since, or moved back). */
  async locate(name: string): Promise<RepoLocation | null> {
    const entry = this.#entry(name);
    if (entry.location) {
      // A location found earlier is no proof: the folder may have been deleted, replaced or re-pointed since.
      if (await stillLocated(entry.location)) return entry.location;
      this.deps.log.info("{name} changed on disk; locating it again", { name });
      entry.location = null;
    }
    const found = await locateRepository(this.deps.runner, entry.config);
    if (found.ok) {
      entry.location = found.location;
      return found.location;
    }
    const ticket = this.#revisions.take();
    const missing = unreadableStatus(entry.config, "MISSING", found.reason, this.deps.clock.now());
    await this.#record(entry, this.#numbered(missing, ticket));
    return null;
  }

  async fetch(name: string): Promise<FetchResult | null> {
    const location = await this.locate(name);
    if (!location) return null;
    const entry = this.#entry(name);
    entry.lastFetch = await fetchRepository(
      this.deps.runner,
      location,
      this.deps.fetchTimeoutMs,
      () => this.deps.clock.now(),
    );
    if (!entry.lastFetch.ok) {
      this.deps.log.warn("Fetch of {name} failed: {error}", { name, error: entry.lastFetch.error });
    }
    return entry.lastFetch;
  }

  /** Reads the repository's state and writes it if it changed. True when a write happened. */
  async refresh(name: string): Promise<boolean> {
    const entry = this.#entry(name);
    const location = await this.locate(name);
    // A missing repository was recorded as such by locate().
    if (!location) return false;
    const ticket = this.#revisions.take();
    let status: RepoStatus;
    try {
      status = await readRepoStatus(this.deps.runner, location, {
        now: () => this.deps.clock.now(),
        lastFetch: entry.lastFetch,
        sync: entry.sync,
      });
    } catch (error) {
      const missing = !(await pathExists(location.path));
      if (missing) entry.location = null;
      const reason = (error as Error).message;
      this.deps.log.warn("Cannot read {name}: {reason}", { name, reason });
      status = unreadableStatus(entry.config, missing ? "MISSING" : "FAILED", reason, this.deps.clock.now());
    }
    const written = await this.#record(entry, this.#numbered(status, ticket));
    // Another process of this host stored a revision above this read's: read again, numbered above it now.
    if (!this.#superseded.delete(name) || this.#rereading.has(name)) return written;
    this.#rereading.add(name);
    try {
      return await this.refresh(name);
    } finally {
      this.#rereading.delete(name);
    }
  }

  /**
   * The last fast-forward was held back by something that may have gone since (a lock, an operation, a local
   * change, a checkout elsewhere): a refresh tries again, so its note never outlives its cause. A move that
   * git undid is tried again only a few times, so a failure the attempt itself provokes cannot loop.
   */
  fastForwardWaiting(name: string): boolean {
    const entry = this.#entries.get(name);
    if (!entry?.config.autoPull || !entry.sync?.retry) return false;
    return entry.sync.result !== "failed" || entry.sync.halted === true ||
      entry.failedRetries < MAX_FAILED_RETRIES;
  }

  /** Fast-forwards when safe (and allowed), then records the outcome. */
  async fastForward(name: string): Promise<SyncResult | null> {
    const entry = this.#entry(name);
    const location = await this.locate(name);
    if (!location) return null;
    if (!entry.config.autoPull) {
      entry.sync = { at: this.deps.clock.now().toISOString(), result: "skipped", reason: "autoPull is off" };
      return entry.sync;
    }
    const previous = entry.sync;
    try {
      entry.sync = await fastForwardIfSafe(this.deps.runner, location, {
        now: () => this.deps.clock.now(),
        sleep: (ms) => this.deps.clock.sleep(ms),
      });
    } catch (error) {
      entry.sync = {
        at: this.deps.clock.now().toISOString(),
        result: "failed",
        reason: (error as Error).message,
      };
    }
    // A retry that meets the same blocker again is routine; a new outcome is news.
    const repeated = previous?.result === entry.sync.result && previous.reason === entry.sync.reason;
    entry.failedRetries = entry.sync.result === "failed" && !entry.sync.halted ? entry.failedRetries + 1 : 0;
    const level = repeated
      ? "debug"
      : entry.sync.result === "fast-forwarded" || entry.sync.result === "up-to-date"
      ? "info"
      : "warn";
    this.deps.log[level]("Fast-forward of {name}: {result}{reason}", {
      name,
      result: entry.sync.result,
      reason: entry.sync.reason ? ` (${entry.sync.reason})` : "",
    });
    return entry.sync;
  }

  /**
   * Retries writes the store refused or could not take. A failure during an outage ends the round: the rest
   * would only wait for the same deadline.
   */
  async flushUnwritten(): Promise<void> {
    for (const entry of this.#entries.values()) {
      if (!entry.unwritten) continue;
      await this.#write(entry, entry.unwritten);
      if (this.deps.outages?.isDown("dynamodb")) return;
    }
  }

  /**
   * Takes every known state as unwritten: after the table was found missing, the one that exists again was
   * created anew and holds none of what this process believes it stored.
   */
  markAllUnwritten(): void {
    for (const entry of this.#entries.values()) {
      if (entry.current) entry.unwritten = entry.current;
    }
  }

  hasUnwritten(): boolean {
    return [...this.#entries.values()].some((e) => e.unwritten !== null);
  }

  async #record(entry: Entry, recorded: RepoStatus): Promise<boolean> {
    const status = withoutCredentials(recorded);
    // The ticket goes with the state as it is stored, not with the copy it was made from.
    const ticket = this.#tickets.get(recorded);
    if (ticket) this.#numbered(status, ticket);
    entry.current = status;
    if (statusFingerprint(status) === entry.stored) {
      entry.unwritten = null;
      return false;
    }
    return await this.#write(entry, status);
  }

  async #write(entry: Entry, status: RepoStatus): Promise<boolean> {
    try {
      // A state made without a ticket is numbered now, which is when it became known, and keeps that number.
      const ticket = this.#tickets.get(status) ?? this.#revisions.take();
      this.#numbered(status, ticket);
      const revision = await this.#revisions.revision(ticket);
      this.#sent.set(status.name, Math.max(this.#sent.get(status.name) ?? 0, revision));
      const result = await this.deps.store.putRepository(this.deps.hostname, status, revision);
      this.deps.outages?.succeeded("dynamodb");
      entry.unwritten = null;
      // Compared with what was sent by now: a later write of this process may have overtaken this one.
      const sent = this.#sent.get(status.name) ?? 0;
      if (
        result.outcome === "stale" && result.storedRevision !== null &&
        (result.storedRevision > sent || result.storedRevision === revision)
      ) {
        this.#revisions.learn(result.storedRevision);
        entry.stored = null;
        this.#superseded.add(status.name);
        this.deps.log.info("{name} was written by another process of this host; reading it again", {
          name: status.name,
        });
      }
      if (result.outcome === "written") {
        entry.stored = statusFingerprint(status);
        this.writes++;
        this.deps.log.debug("Wrote {name}: {state}", { name: status.name, state: status.state });
        return true;
      }
      return false;
    } catch (error) {
      entry.unwritten = status;
      if (this.deps.outages) this.deps.outages.failed("dynamodb", error);
      else {
        this.deps.log.warn("Cannot write {name} to the store, will retry: {error}", {
          name: status.name,
          error: (error as Error).message,
        });
      }
      return false;
    }
  }

  get #revisions() {
    return hostRevisions(this.deps.store, this.deps.hostname);
  }

  #numbered(status: RepoStatus, ticket: Ticket): RepoStatus {
    this.#tickets.set(status, ticket);
    return status;
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`Repository "${name}" is not configured`);
    return entry;
  }
}

/** git's messages quote remote URLs, sometimes with the token in them: none reaches the store. */
function withoutCredentials(status: RepoStatus): RepoStatus {
  const { error, lastFetch, sync } = status;
  const clean = { ...status, error: error === null ? null : redactCredentials(error) };
  if (lastFetch?.error !== undefined) {
    clean.lastFetch = { ...lastFetch, error: redactCredentials(lastFetch.error) };
  }
  if (sync?.reason !== undefined) clean.sync = { ...sync, reason: redactCredentials(sync.reason) };
  return clean;
}
