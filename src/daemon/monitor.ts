/**
 * Keeps every configured repository's state and writes it to the store when — and only when — it changed.
 * Each method is one step for one repository; the daemon decides when to call them.
 */

import type { RepositoryConfig } from "../config/types.ts";
import type { FetchResult, RepoStatus, SyncResult } from "../git/repo_status.ts";
import { statusFingerprint } from "../git/repo_status.ts";
import { fetchRepository } from "../git/fetch.ts";
import { locateRepository, readRepoStatus, type RepoLocation, unreadableStatus } from "../git/repo.ts";
import { fastForwardIfSafe } from "../git/fast_forward.ts";
import type { GitRunner } from "../git/runner.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../log/logger.ts";
import { pathExists } from "../util/fs.ts";

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Entry {
  config: RepositoryConfig;
  location: RepoLocation | null;
  lastFetch: FetchResult | null;
  sync: SyncResult | null;
  current: RepoStatus | null;
  /** Fingerprint of what the store holds, as far as this process knows. */
  stored: string | null;
  /** A state the store has not accepted yet (AWS unreachable): retried later. */
  unwritten: RepoStatus | null;
}

export interface MonitorDeps {
  runner: GitRunner;
  store: Store;
  hostname: string;
  clock: Clock;
  log: Logger;
  fetchTimeoutMs: number;
}

export class RepoMonitor {
  readonly #entries = new Map<string, Entry>();
  writes = 0;

  constructor(private readonly deps: MonitorDeps, repositories: RepositoryConfig[]) {
    for (const config of repositories) {
      this.#entries.set(config.name, {
        config,
        location: null,
        lastFetch: null,
        sync: null,
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
   * Learns what the store already holds for this host, so a restart writes nothing that did not change, and
   * removes repositories that are no longer configured.
   */
  async seedFromStore(): Promise<void> {
    const stored = await this.deps.store.listRepositories(this.deps.hostname);
    for (const status of stored) {
      const entry = this.#entries.get(status.name);
      if (entry) entry.stored = statusFingerprint(status);
      else {
        this.deps.log.info("Removing {name} from the store: it is no longer configured", {
          name: status.name,
        });
        await this.deps.store.deleteRepository(this.deps.hostname, status.name);
      }
    }
  }

  /** Finds the repository on disk again if it was missing (cloned since, or moved back). */
  async locate(name: string): Promise<RepoLocation | null> {
    const entry = this.#entry(name);
    if (entry.location) return entry.location;
    const found = await locateRepository(this.deps.runner, entry.config);
    if (found.ok) {
      entry.location = found.location;
      return found.location;
    }
    await this.#record(entry, unreadableStatus(entry.config, "MISSING", found.reason, this.deps.clock.now()));
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
    return await this.#record(entry, status);
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
    const level = entry.sync.result === "fast-forwarded" || entry.sync.result === "up-to-date"
      ? "info"
      : "warn";
    this.deps.log[level]("Fast-forward of {name}: {result}{reason}", {
      name,
      result: entry.sync.result,
      reason: entry.sync.reason ? ` (${entry.sync.reason})` : "",
    });
    return entry.sync;
  }

  /** Retries writes the store refused or could not take. */
  async flushUnwritten(): Promise<void> {
    for (const entry of this.#entries.values()) {
      if (entry.unwritten) await this.#write(entry, entry.unwritten);
    }
  }

  hasUnwritten(): boolean {
    return [...this.#entries.values()].some((e) => e.unwritten !== null);
  }

  async #record(entry: Entry, status: RepoStatus): Promise<boolean> {
    entry.current = status;
    if (statusFingerprint(status) === entry.stored) {
      entry.unwritten = null;
      return false;
    }
    return await this.#write(entry, status);
  }

  async #write(entry: Entry, status: RepoStatus): Promise<boolean> {
    try {
      const outcome = await this.deps.store.putRepository(this.deps.hostname, status);
      entry.unwritten = null;
      if (outcome === "written") {
        entry.stored = statusFingerprint(status);
        this.writes++;
        this.deps.log.debug("Wrote {name}: {state}", { name: status.name, state: status.state });
        return true;
      }
      return false;
    } catch (error) {
      entry.unwritten = status;
      this.deps.log.warn("Cannot write {name} to the store, will retry: {error}", {
        name: status.name,
        error: (error as Error).message,
      });
      return false;
    }
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`Repository "${name}" is not configured`);
    return entry;
  }
}
