/**
 * Keeps every repository watched: a debounced refresh per burst of changes, the watched folders recomputed
 * when the tree changes, and polling for the repositories that cannot be watched (the system refused more
 * watches, or folder names that are not UTF-8 cannot be named to it).
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import type { Logger } from "../log/logger.ts";
import { Debouncer } from "./debouncer.ts";
import type { Watcher, WatcherEvents } from "./watcher.ts";
import { watchPlan } from "./watch_plan.ts";

/** Quiet period and bound for a burst of file events: one write per burst, within 2 s of its start. */
const QUIET_MS = 300;
const MAX_WAIT_MS = 1200;

export interface WatchingDeps {
  runner: GitRunner;
  log: Logger;
  names: () => string[];
  location: (name: string) => RepoLocation | null;
  /** Reads the repository again; `rewatch` also recomputes its watched folders. */
  refresh: (name: string, rewatch: boolean) => Promise<void>;
  createWatcher?: ((events: WatcherEvents) => Watcher) | undefined;
  pollFallbackMs: number;
}

export class Watching {
  readonly #polled = new Set<string>();
  readonly #debouncer: Debouncer;
  #watcher: Watcher | null = null;

  constructor(private readonly deps: WatchingDeps) {
    this.#debouncer = new Debouncer((name) => deps.refresh(name, true), QUIET_MS, MAX_WAIT_MS);
  }

  /**
   * Watches every repository, then reads each once more: a change made between the full update's read and
   * the watch taking effect would otherwise go unseen until the next reconcile.
   */
  async start(): Promise<void> {
    const create = this.deps.createWatcher;
    if (!create) return;
    this.#watcher = create({
      onChange: (name) => this.#debouncer.trigger(name),
      onFailure: (names, error) => {
        this.deps.log.warn(
          "Cannot watch {count} repositories ({error}); checking them every {seconds} s instead",
          { count: names.length, error: error.message, seconds: this.deps.pollFallbackMs / 1000 },
        );
        for (const name of names) this.#polled.add(name);
      },
    });
    await Promise.all(this.deps.names().map((name) => this.rewatch(name)));
    await this.#watcher.ready();
    await Promise.all(this.deps.names().map((name) => this.deps.refresh(name, false)));
  }

  async rewatch(name: string): Promise<void> {
    const location = this.deps.location(name);
    if (!this.#watcher || this.#polled.has(name)) return;
    if (!location) return this.#watcher.watch(name, []);
    try {
      const plan = await watchPlan(this.deps.runner, location);
      this.#watcher.watch(name, plan.directories);
      if (plan.unnamable.length > 0) {
        this.deps.log.warn(
          "Cannot watch {count} folders of {name} whose names are not UTF-8 (first: {folder}); checking it every {seconds} s instead",
          {
            count: plan.unnamable.length,
            name,
            folder: plan.unnamable[0],
            seconds: this.deps.pollFallbackMs / 1000,
          },
        );
        this.#polled.add(name);
      }
    } catch (error) {
      this.deps.log.warn("Cannot list directories of {name} to watch: {error}", {
        name,
        error: (error as Error).message,
      });
      this.#polled.add(name);
    }
  }

  /** A repository no longer configured: neither watched nor polled any more. */
  forget(name: string): void {
    this.#polled.delete(name);
    this.#watcher?.watch(name, []);
  }

  /** One round for the repositories that are polled (all of them when there is no watcher). */
  async poll(): Promise<void> {
    const names = this.#watcher ? [...this.#polled] : this.deps.names();
    await Promise.all(names.map((name) => this.deps.refresh(name, false)));
  }

  close(): void {
    this.#watcher?.close();
    this.#debouncer.close();
  }
}
