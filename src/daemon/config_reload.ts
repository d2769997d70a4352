/**
 * The running daemon follows its config file: a change (or SIGHUP) loads the file with the loader used at
 * start, and a valid result is applied to the repository list in place. An invalid edit leaves the config in
 * force untouched, so a half-saved file never stops the watching of anything.
 */

import { dirname } from "node:path";
import type { Config, RepositoryConfig } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { GitargusError } from "../errors.ts";
import { Debouncer } from "./debouncer.ts";
import { type AutoPull, describeAutoPull } from "../sync/branch_policy.ts";

/** What a valid edit changes, relative to the config in force. */
export interface ConfigDiff {
  added: RepositoryConfig[];
  removed: string[];
  /** Repositories whose settings (autoPull) changed. */
  changed: RepositoryConfig[];
  /** Settings that only a restart applies (the store, queue and timers are built from them at start). */
  needsRestart: string[];
}

/** The parts of the daemon a reload changes. */
export interface ReloadTarget {
  /** Starts watching them, with a full update each; resolves once they are known (not updated). */
  addRepositories(repositories: RepositoryConfig[]): Promise<void>;
  /** Stops watching them, drops their pending work and removes their store records. */
  removeRepositories(names: string[]): Promise<void>;
  updateRepositories(repositories: RepositoryConfig[]): void;
}

export interface ConfigReloadDeps {
  config: Config;
  /** The loader used at start; throws a GitargusError (ConfigError) for a file that is not valid. */
  load: () => Promise<Config>;
  target: ReloadTarget;
  /** Installs the pre-push hook of added repositories; a failure is its own to log. */
  installHooks: (repositories: RepositoryConfig[]) => Promise<void>;
  log: Logger;
}

export function diffConfigs(current: Config, next: Config): ConfigDiff {
  const before = new Map(current.repositories.map((r) => [r.name, r]));
  const after = new Map(next.repositories.map((r) => [r.name, r]));
  const needsRestart: string[] = [];
  if (current.hostname !== next.hostname) needsRestart.push("hostname");
  if (current.root !== next.root) needsRestart.push("root");
  if (!sameValue(current.aws, next.aws)) needsRestart.push("aws");
  if (!sameValue(current.daemon, next.daemon)) needsRestart.push("daemon");
  if (!sameValue(current.notify, next.notify)) needsRestart.push("notify");
  if (!sameValue(current.eventHooks, next.eventHooks)) needsRestart.push("hooks");
  return {
    added: next.repositories.filter((r) => !before.has(r.name)),
    removed: current.repositories.filter((r) => !after.has(r.name)).map((r) => r.name),
    changed: next.repositories.filter((r) => {
      const old = before.get(r.name);
      return old !== undefined && !sameValue(old.autoPull, r.autoPull);
    }),
    needsRestart,
  };
}

/**
 * Applies reloads one at a time: a reload asked for while one runs is done once after it, with the file as
 * it is then, so two quick edits never apply out of order.
 */
export class ConfigReloader {
  #config: Config;
  #tail: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;
  /** The last invalid edit's message: the same broken file is reported once, not at every event. */
  #lastError: string | null = null;
  #closed = false;

  constructor(private readonly deps: ConfigReloadDeps) {
    this.#config = deps.config;
  }

  /** The config in force: the file's repositories, with the start's values for what needs a restart. */
  get config(): Config {
    return this.#config;
  }

  reload(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#queued ??= this.#tail.then(() => {
      this.#queued = null;
      return this.#closed ? undefined : this.#reloadOnce();
    });
    this.#tail = this.#queued;
    return this.#queued;
  }

  /** Resolves once the reload in progress, if any, is done. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }

  async #reloadOnce(): Promise<void> {
    const { log } = this.deps;
    let next: Config;
    try {
      next = await this.deps.load();
    } catch (error) {
      if (!(error instanceof GitargusError)) throw error;
      if (error.message !== this.#lastError) {
        log.warn("Config not reloaded, the previous one stays in force: {error}", { error: error.message });
      }
      this.#lastError = error.message;
      return;
    }
    this.#lastError = null;
    const diff = diffConfigs(this.#config, next);
    if (diff.needsRestart.length > 0) {
      log.warn("The config's {keys} changed: restart the daemon to apply it", {
        keys: diff.needsRestart.join(", "),
      });
    }
    // Names are relative to the root: under a root not in force yet, the list would name other folders.
    if (diff.needsRestart.includes("root")) return;
    this.#config = { ...this.#config, repositories: next.repositories, autoPull: next.autoPull };
    if (diff.added.length + diff.removed.length + diff.changed.length === 0) {
      log.debug("Config reloaded: no repository changed");
      return;
    }
    log.info("Config reloaded: {added} added, {removed} removed, {changed} changed", {
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
    });
    await this.#apply(diff);
  }

  async #apply(diff: ConfigDiff): Promise<void> {
    const { target, log } = this.deps;
    // Removed first: a repository renamed in the config leaves and comes back under its new name.
    if (diff.removed.length > 0) await target.removeRepositories(diff.removed);
    if (diff.changed.length > 0) target.updateRepositories(diff.changed);
    for (const repo of diff.changed) {
      log.info("Settings of {name} changed: autoPull {autoPull}", {
        name: repo.name,
        autoPull: autoPullSetting(repo.autoPull),
      });
    }
    if (diff.added.length === 0) return;
    await this.deps.installHooks(diff.added);
    await target.addRepositories(diff.added);
  }
}

/** A burst of writes (an editor's temp file, rename and chmod) is one reload, this long after it ends. */
const QUIET_MS = 300;
const MAX_WAIT_MS = 2000;

/**
 * Watches the config file by its folder, not the file itself: editors and dotfile managers replace it by a
 * rename, which would leave a watch on the old file blind. A symlinked file is watched at both ends, and the
 * watch follows the link when it is pointed elsewhere.
 */
export class ConfigFileWatch {
  readonly #debouncer: Debouncer;
  #handle: Deno.FsWatcher | null = null;
  #watched = "";
  #paths = new Set<string>();
  #closed = false;

  constructor(private readonly file: string, onChange: () => void, private readonly log: Logger) {
    this.#debouncer = new Debouncer(() => onChange(), QUIET_MS, MAX_WAIT_MS);
  }

  /** (Re)starts the watch when the file's real location changed since the last call. */
  async arm(): Promise<void> {
    if (this.#closed) return;
    const real = await Deno.realPath(this.file).catch(() => this.file);
    const paths = new Set([this.file, real]);
    const folders = [...new Set([...paths].map((p) => dirname(p)))].sort();
    if (folders.join("\n") === this.#watched) return;
    this.#handle?.close();
    this.#handle = null;
    this.#watched = folders.join("\n");
    this.#paths = paths;
    try {
      this.#handle = Deno.watchFs(folders, { recursive: false });
    } catch (error) {
      this.log.warn("Cannot watch the config file {file} ({error}); send SIGHUP to reload it", {
        file: this.file,
        error: (error as Error).message,
      });
      return;
    }
    void this.#pump(this.#handle);
  }

  close(): void {
    this.#closed = true;
    this.#handle?.close();
    this.#handle = null;
    this.#debouncer.close();
  }

  async #pump(handle: Deno.FsWatcher): Promise<void> {
    try {
      for await (const event of handle) {
        if (event.paths.some((path) => this.#paths.has(path))) this.#debouncer.trigger("config");
      }
    } catch (error) {
      if (this.#closed || error instanceof Deno.errors.BadResource) return;
      this.log.warn("Watching the config file {file} failed ({error}); send SIGHUP to reload it", {
        file: this.file,
        error: (error as Error).message,
      });
    }
  }
}

/** As the log says it: "on" and "off" for the booleans, as before; the policy itself otherwise. */
function autoPullSetting(policy: AutoPull): string {
  return typeof policy === "boolean" ? (policy ? "on" : "off") : describeAutoPull(policy);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface ConfigFollower {
  /** Reloads now (SIGHUP); resolves once the reload is applied. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Reloads on every change of the config file, and re-points the watch when a reload finds the file moved. */
export async function followConfig(deps: ConfigReloadDeps): Promise<ConfigFollower> {
  const reloader = new ConfigReloader(deps);
  const watch = new ConfigFileWatch(deps.config.file, () => void reload(), deps.log);
  const reload = () =>
    reloader.reload().then(() => watch.arm()).catch((error) => {
      deps.log.error("Config reload failed: {error}", { error: (error as Error).message });
    });
  await watch.arm();
  // An edit saved between the start's load and the watch taking effect would otherwise wait for the next one.
  void reload();
  return {
    reload,
    async close() {
      watch.close();
      await reloader.close();
    },
  };
}
