/**
 * Where GitArgus keeps its files, and which config file to read: an explicit `--config PATH` wins over
 * `GITARGUS_CONFIG`, which wins over `~/.gitargus/config.yml`.
 */

import { join, resolve } from "../util/path.ts";
import { ConfigError, UsageError } from "../errors.ts";

/** Shown in errors when the default location cannot be computed. */
export const DEFAULT_CONFIG_DISPLAY = "~/.gitargus/config.yml";

/** `~/.gitargus`: config, log and outbox. */
export function gitargusDir(home: string): string {
  return join(home, ".gitargus");
}

export function defaultConfigPath(home: string): string {
  return join(gitargusDir(home), "config.yml");
}

export function logFilePath(home: string): string {
  return join(gitargusDir(home), "gitargus.log");
}

/** Events waiting to be published when SNS was unreachable. */
export function outboxDir(home: string): string {
  return join(gitargusDir(home), "outbox");
}

/** The daemon's copy of this host's repository states, for `leave --local` (src/presence/local_state.ts). */
export function localStatePath(home: string, hostname: string): string {
  return join(gitargusDir(home), "state", `${hostname}.json`);
}

/** When `leave` and `arrive` last ran here, per host name: where `arrive` starts looking. */
export function presencePath(home: string): string {
  return join(gitargusDir(home), "presence.json");
}

/** True when `path` is `~` or starts with `~/`, so it needs HOME to become a real path. */
export function needsHome(path: string): boolean {
  return path === "~" || path.startsWith("~/");
}

/**
 * Replaces a leading `~` or `~/` with `home`. Returns undefined when the path needs HOME and none is known,
 * so the caller can raise an error that names the right key.
 */
export function expandHome(path: string, home: string | undefined): string | undefined {
  if (!needsHome(path)) return path;
  if (!home) return undefined;
  return path === "~" ? home : join(home, path.slice(2));
}

export interface ConfigPathOptions {
  /** `--config PATH` from the command line. */
  explicit?: string;
  env: (name: string) => string | undefined;
}

/** The absolute path of the config file to read, following the precedence above. */
export function configPathFrom(options: ConfigPathOptions): string {
  const home = options.env("HOME") || undefined;
  // An empty `--config` is a variable that was not set: falling back would read or edit another file.
  if (options.explicit === "") throw new UsageError('--config needs a path, got an empty one ("")');
  const given = options.explicit || options.env("GITARGUS_CONFIG") || undefined;
  if (given === undefined) {
    if (!home) {
      throw new ConfigError(
        DEFAULT_CONFIG_DISPLAY,
        "HOME is not set; pass --config PATH or set GITARGUS_CONFIG",
      );
    }
    return defaultConfigPath(home);
  }
  const expanded = expandHome(given, home);
  if (expanded === undefined) {
    throw new ConfigError(given, `cannot expand "~" because HOME is not set`);
  }
  return resolve(expanded);
}
