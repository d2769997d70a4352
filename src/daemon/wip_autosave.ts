/**
 * Work in progress saved by the daemon itself (off by default): when a repository's uncommitted work has not
 * changed for `wip.saveIdleMinutes`, and, with `wip.saveOnStop`, when the daemon stops (a logout, a
 * shutdown). "Not changed" is judged by the work's own trees, hashed through a scratch index, so an edit that
 * leaves git's counts as they were still counts as a change; the same work is never pushed twice. Files the
 * guard refuses (secrets, size) keep a repository's work from being saved automatically: that takes a
 * person and `--force`.
 */

import type { Config, RepositoryConfig } from "../config/types.ts";
import type { GitRunner } from "../git/runner.ts";
import type { Publisher } from "../events/publisher.ts";
import type { Outbox } from "../events/outbox.ts";
import type { Clock } from "../util/clock.ts";
import type { RepoMonitor } from "./monitor.ts";
import { announceWip } from "../wip/announce.ts";
import type { RepoLocation } from "../git/repo.ts";
import type { Logger } from "../log/logger.ts";
import { GitargusError } from "../errors.ts";
import { type CarryDeps, maxFileBytes, publishSnapshot } from "../wip/carry.ts";
import { commitSnapshot, isClean, refusedWork, workTrees } from "../wip/snapshot.ts";

export interface AutoSaveDeps {
  carry: CarryDeps;
  log: Logger;
  /** Configured repositories whose last read found uncommitted work. */
  dirty: () => Array<{ repo: RepositoryConfig; location: RepoLocation }>;
  /** Null: no saving when idle. */
  idleMs: number | null;
  /** Save everything as the daemon stops. */
  onStop: boolean;
}

/** How often repositories with work are looked at for idleness. */
export const IDLE_CHECK_MS = 60_000;

export interface DaemonParts {
  config: Config;
  runner: GitRunner;
  log: Logger;
  clock: Clock;
  publisher?: Publisher;
  outbox?: Outbox;
}

/** The daemon's saver, or null when the config asks for neither kind of saving. */
export function wipAutoSave(parts: DaemonParts, monitor: RepoMonitor): WipAutoSave | null {
  const { config, runner, log, clock, publisher, outbox } = parts;
  const minutes = config.wip?.saveIdleMinutes ?? 0;
  if (minutes === 0 && !config.wip?.saveOnStop) return null;
  const now = () => clock.now();
  const topic = () =>
    publisher ? Promise.resolve(publisher) : Promise.reject(new Error("no SNS topic is configured"));
  const carry: CarryDeps = {
    config,
    runner,
    now,
    announce: (change) => announceWip({ publisher: topic, ...(outbox ? { outbox } : {}), now }, change),
  };
  return new WipAutoSave({
    carry,
    log,
    idleMs: minutes > 0 ? minutes * 60_000 : null,
    onStop: config.wip?.saveOnStop === true,
    dirty: () =>
      monitor.names().flatMap((name) => {
        const status = monitor.status(name);
        const location = monitor.location(name);
        const repo = monitor.config(name);
        return status && !status.clean && location && repo ? [{ repo, location }] : [];
      }),
  });
}

/** How long the stop may spend saving: a service manager kills a daemon that takes too long to end. */
export const STOP_BUDGET_MS = 30_000;

export class WipAutoSave {
  /** Per repository, the work last seen and since when (ms). */
  readonly #seen = new Map<string, { key: string; since: number }>();
  /** Per repository, the work last saved. */
  readonly #saved = new Map<string, string>();
  /** Per repository, the refusal last logged, so it is logged once. */
  readonly #refused = new Map<string, string>();

  constructor(private readonly deps: AutoSaveDeps) {}

  /** One look at every repository with work: saves those idle long enough. `now` in ms. */
  async tick(now: number): Promise<void> {
    const idle = this.deps.idleMs;
    if (idle === null) return;
    for (const { repo, location } of this.deps.dirty()) {
      await this.#consider(repo, location, (key) => {
        const seen = this.#seen.get(repo.name);
        if (seen?.key !== key) {
          this.#seen.set(repo.name, { key, since: now });
          return false;
        }
        return now - seen.since >= idle;
      }, `after ${Math.round(idle / 60_000)} idle minutes`);
    }
  }

  get idle(): boolean {
    return this.deps.idleMs !== null;
  }

  /** As the daemon stops, with `wip.saveOnStop`: every repository's unsaved work. */
  async stopping(): Promise<void> {
    if (this.deps.onStop) await this.saveAll();
  }

  /** Saves every repository's unsaved work, within STOP_BUDGET_MS. */
  async saveAll(deadline = Date.now() + STOP_BUDGET_MS): Promise<void> {
    for (const { repo, location } of this.deps.dirty()) {
      if (Date.now() > deadline) {
        this.deps.log.warn("No time left to save the work in progress of {name} as the daemon stops", {
          name: repo.name,
        });
        continue;
      }
      await this.#consider(repo, location, () => true, "as the daemon stops");
    }
  }

  async #consider(
    repo: RepositoryConfig,
    location: RepoLocation,
    due: (key: string) => boolean,
    when: string,
  ): Promise<void> {
    const { carry, log } = this.deps;
    try {
      const refused = await refusedWork(carry.runner, location, { maxFileSize: maxFileBytes(carry.config) });
      if (refused.length > 0) {
        const listed = refused.map((r) => `${r.path}: ${r.reason}`).join("; ");
        if (this.#refused.get(repo.name) !== listed) {
          this.#refused.set(repo.name, listed);
          log.warn("Not saving the work in progress of {name} on its own: {listed}", {
            name: repo.name,
            listed,
          });
        }
        return;
      }
      this.#refused.delete(repo.name);
      const trees = await workTrees(carry.runner, location);
      if (isClean(trees)) return;
      const key = `${trees.base} ${trees.staged} ${trees.worktree}`;
      if (!due(key) || this.#saved.get(repo.name) === key) return;
      const snapshot = await commitSnapshot(carry.runner, location, trees, {
        host: carry.config.hostname,
        now: carry.now,
      });
      const announced = await publishSnapshot(carry, repo, location, snapshot);
      this.#saved.set(repo.name, key);
      const count = snapshot.paths.length;
      log.info(`Saved the work in progress of {name} ({files} of {branch}) ${when}{announced}`, {
        name: repo.name,
        files: `${count} file${count === 1 ? "" : "s"}`,
        branch: snapshot.branch,
        announced: announced.published ? "" : ` (not announced: ${announced.reason})`,
      });
    } catch (error) {
      if (!(error instanceof GitargusError)) throw error;
      log.warn("Cannot save the work in progress of {name}: {error}", {
        name: repo.name,
        error: error.message,
      });
    }
  }
}
