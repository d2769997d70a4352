/**
 * Keeps every configured repository's state and writes it to the store when — and only when — it changed.
 * Each method is one step for one repository; the daemon decides when to call them.
 */

import type { FetchResult, RepoStatus, SyncResult } from "../state/repo_status.ts";
import { fetchRepository } from "../git/fetch.ts";
import { locateRepository, readRepoStatus, type RepoLocation, unreadableStatus } from "../git/repo.ts";
import { fastForwardIfSafe } from "../sync/mod.ts";
import type { GitRunner } from "../git/runner.ts";
import type { Store } from "../store/store.ts";
import type { Ticket } from "../store/host_revisions.ts";
import type { Logger } from "../log/logger.ts";
import { pathExists } from "../util/fs.ts";
import type { Clock } from "../util/clock.ts";
import { stillLocated } from "../git/locate.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { StateWriter, type StateWriterDeps } from "./state_writer.ts";
import { fastForwardLevel, ProblemNotices } from "./problem_notices.ts";
import type { LocalStateWriter } from "../presence/local_state.ts";
import type { Config, RepositoryConfig } from "../config/types.ts";
import { deleteRecord, seedFromStore } from "./store_seed.ts";
import { readSavedWip } from "../wip/saved.ts";

interface Entry {
  config: RepositoryConfig;
  location: RepoLocation | null;
  lastFetch: FetchResult | null;
  sync: SyncResult | null;
  /** Undone moves in a row, retried on refresh. */
  failedRetries: number;
  current: RepoStatus | null;
}

const MAX_FAILED_RETRIES = 3;

export interface MonitorDeps extends Pick<StateWriterDeps, "onStatus"> {
  runner: GitRunner;
  store: Store;
  hostname: string;
  clock: Clock;
  log: Logger;
  fetchTimeoutMs: number;
  /** Failed writes report here (logged once per outage); without it each failure is logged. */
  outages?: OutageTracker;
  /** Keeps this host's states on disk for `leave --local`; told every state recorded. */
  localState?: Pick<LocalStateWriter, "record" | "forget">;
  /** How long the user's git must be still before a move (src/sync/user_activity.ts); 0 in tests that stage
   * a state with git and act on it at once. */
  userQuietMs?: number;
}

/** The dependencies that come from the config; the daemon and the dashboard's "fetch now" build them alike. */
export function monitorDeps(
  config: Config,
  parts: Omit<MonitorDeps, "hostname" | "fetchTimeoutMs">,
): MonitorDeps {
  return { ...parts, hostname: config.hostname, fetchTimeoutMs: config.daemon.fetchTimeoutSeconds * 1000 };
}

export class RepoMonitor {
  readonly #entries = new Map<string, Entry>();
  readonly #writer: StateWriter;
  readonly #rereading = new Set<string>();
  readonly #problems: ProblemNotices;

  constructor(private readonly deps: MonitorDeps, repositories: RepositoryConfig[]) {
    this.#writer = new StateWriter(deps);
    this.#problems = new ProblemNotices(deps.log);
    for (const config of repositories) this.add(config);
  }

  /** Starts keeping a repository (a config reload added it); its first refresh writes it. */
  add(config: RepositoryConfig): void {
    this.#entries.set(config.name, {
      config,
      location: null,
      lastFetch: null,
      sync: null,
      failedRetries: 0,
      current: null,
    });
  }

  /** New settings (autoPull) for a kept repository; they apply from its next step on. */
  update(config: RepositoryConfig): void {
    const entry = this.#entries.get(config.name);
    if (entry) entry.config = config;
  }

  /** Stops keeping a repository: from now on it is not configured, and a step already running ends on that. */
  remove(name: string): void {
    this.#entries.delete(name);
  }

  /** Removes a repository's record once no step of it runs any more; a failure is logged, not thrown. */
  async forget(name: string): Promise<void> {
    this.#writer.forget(name);
    this.deps.localState?.forget(name);
    try {
      await deleteRecord(this.deps, name);
    } catch (error) {
      this.deps.log.warn("Cannot remove {name} from the store ({error}); the next start removes it", {
        name,
        error: (error as Error).message,
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
   * numbers its writes above every earlier one, and removes repositories that are no longer configured.
   */
  seedFromStore(): Promise<void> {
    return seedFromStore({
      ...this.deps,
      writer: this.#writer,
      configured: (name) => this.#entries.has(name),
    });
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
      this.#problems.resolved("locate", name, "Found {name} again at {path}", {
        name,
        path: found.location.path,
      });
      return found.location;
    }
    this.#problems.warn("locate", name, found.reason, "Cannot find {name}: {reason}", {
      name,
      reason: found.reason,
    });
    const ticket = this.#writer.ticket();
    const missing = unreadableStatus(entry.config, "MISSING", found.reason, this.deps.clock.now());
    await this.#record(entry, missing, ticket);
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
    if (entry.lastFetch.ok) {
      this.#problems.resolved("fetch", name, "Fetch of {name} works again", { name });
    } else {
      const error = entry.lastFetch.error ?? "";
      this.#problems.warn("fetch", name, error, "Fetch of {name} failed: {error}", { name, error });
    }
    return entry.lastFetch;
  }

  /** Reads the repository's state and writes it if it changed. True when a write happened. */
  async refresh(name: string): Promise<boolean> {
    const entry = this.#entry(name);
    const location = await this.locate(name);
    // A missing repository was recorded as such by locate().
    if (!location) return false;
    const ticket = this.#writer.ticket();
    let status: RepoStatus;
    try {
      status = await readRepoStatus(this.deps.runner, location, {
        now: () => this.deps.clock.now(),
        lastFetch: entry.lastFetch,
        sync: entry.sync,
        savedWip: (found) => readSavedWip(this.deps.runner, found, this.deps.hostname),
      });
      this.#problems.resolved("read", name, "{name} can be read again", { name });
    } catch (error) {
      const missing = !(await pathExists(location.path));
      if (missing) entry.location = null;
      const reason = (error as Error).message;
      this.#problems.warn("read", name, reason, "Cannot read {name}: {reason}", { name, reason });
      status = unreadableStatus(entry.config, missing ? "MISSING" : "FAILED", reason, this.deps.clock.now());
    }
    const written = await this.#record(entry, status, ticket);
    // Another process of this host stored a revision above this read's: read again, numbered above it now.
    if (!this.#writer.takeSuperseded(name) || this.#rereading.has(name)) return written;
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
    if (!entry || entry.config.autoPull === false || !entry.sync?.retry) return false;
    return entry.sync.result !== "failed" || entry.sync.halted === true ||
      entry.failedRetries < MAX_FAILED_RETRIES;
  }

  /** Fast-forwards the branches the policy allows, when safe, then records the outcome. */
  async fastForward(name: string): Promise<SyncResult | null> {
    const entry = this.#entry(name);
    const location = await this.locate(name);
    if (!location) return null;
    if (entry.config.autoPull === false) {
      entry.sync = { at: this.deps.clock.now().toISOString(), result: "skipped", reason: "autoPull is off" };
      return entry.sync;
    }
    const previous = entry.sync;
    try {
      entry.sync = await fastForwardIfSafe(this.deps.runner, location, {
        now: () => this.deps.clock.now(),
        sleep: (ms) => this.deps.clock.sleep(ms),
        autoPull: entry.config.autoPull,
        ...(this.deps.userQuietMs !== undefined && { quietMs: this.deps.userQuietMs }),
      });
    } catch (error) {
      entry.sync = {
        at: this.deps.clock.now().toISOString(),
        result: "failed",
        reason: (error as Error).message,
      };
    }
    entry.failedRetries = entry.sync.result === "failed" && !entry.sync.halted ? entry.failedRetries + 1 : 0;
    this.deps.log[fastForwardLevel(previous, entry.sync)]("Fast-forward of {name}: {result}{reason}", {
      name,
      result: entry.sync.result,
      reason: entry.sync.reason ? ` (${entry.sync.reason})` : "",
    });
    return entry.sync;
  }

  /** Retries writes the store refused or could not take; a failure during an outage ends the round. */
  flushUnwritten(): Promise<void> {
    return this.#writer.flush();
  }

  /**
   * Takes every known state as unwritten: after the table was found missing, the one that exists again was
   * created anew and holds none of what this process believes it stored.
   */
  markAllUnwritten(): void {
    this.#writer.markUnwritten(
      [...this.#entries.values()].flatMap((e) => e.current ? [e.current] : []),
    );
  }

  hasUnwritten(): boolean {
    return this.#writer.hasUnwritten();
  }

  /** Writes made by this process (for the benchmarks' write counts). */
  get writes(): number {
    return this.#writer.writes;
  }

  async #record(entry: Entry, read: RepoStatus, ticket: Ticket): Promise<boolean> {
    const { status, written } = await this.#writer.record(read, ticket);
    entry.current = status;
    await this.deps.localState?.record(status, entry.location);
    return written;
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`Repository "${name}" is not configured`);
    return entry;
  }
}
