/** What every command gets from the command line's global options, and the shared ways to load things. */

import { loadConfig } from "../config/load.ts";
import { defaultConfigPath, localStatePath, logFilePath, outboxDir, presencePath } from "../config/paths.ts";
import { selfCommand } from "../self.ts";
import type { Config } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import type { LogLevel } from "@logtape/logtape";
import { error as printError } from "./output.ts";
import { lazy } from "../lazy.ts";
import { instanceLockPath } from "../daemon/instance_lock.ts";
import type { HookCommands } from "../git/hooks.ts";

export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
}

export function env(name: string): string | undefined {
  return Deno.env.get(name);
}

export function home(): string | undefined {
  return env("HOME");
}

/** Loads the config; its notices (obsolete keys) go to stderr unless the caller must stay quiet (the hook). */
export async function loadCliConfig(
  globals: GlobalOptions,
  options: { quiet?: boolean; cached?: boolean } = {},
): Promise<Config> {
  const config = await loadConfig({
    ...(globals.config !== undefined ? { explicitPath: globals.config } : {}),
    env,
    cached: options.cached ?? false,
  });
  if (!options.quiet) { for (const notice of config.notices) printError(notice); }
  return config;
}

/** Logs of long-running and background commands go to the log file as well as stderr. */
export async function startLogging(
  globals: GlobalOptions,
  options: { file: boolean; stderrLevel?: LogLevel },
): Promise<void> {
  const file = options.file && home() ? logFilePath(home()!) : undefined;
  const { setupLogging } = await lazy<typeof import("../log/logger.ts")>("logger");
  await setupLogging({
    verbose: globals.verbose ?? false,
    ...(file ? { file } : {}),
    ...(options.stderrLevel ? { stderrLevel: options.stderrLevel } : {}),
  });
}

/** The lock that keeps a second daemon with the same config from starting. */
export async function instanceLockFile(config: Config): Promise<string> {
  const dir = home();
  if (!dir) throw new ConfigError(config.file, "HOME is not set, so the daemon's lock file cannot be found");
  return await instanceLockPath(dir, config.file);
}

/** `~/.gitargus/state/<host>.json`: what `leave --local` reads instead of running git. */
export function localStateFile(config: Config): string {
  const dir = home();
  if (!dir) throw new ConfigError(config.file, "HOME is not set, so the state cache cannot be found");
  return localStatePath(dir, config.hostname);
}

/** `~/.gitargus/presence.json`: when `leave` and `arrive` last ran here. */
export function presenceFile(config: Config): string {
  const dir = home();
  if (!dir) {
    throw new ConfigError(config.file, "HOME is not set, so the time of the last `leave` cannot be kept");
  }
  return presencePath(dir);
}

export function outboxPath(config: Config): string {
  const dir = home();
  if (!dir) throw new ConfigError(config.file, "HOME is not set, so the outbox folder cannot be found");
  return outboxDir(dir);
}

/**
 * What the pre-push hook runs: this program, with `--config` when the config is not at the default place
 * (`--config`, GITARGUS_CONFIG), since `git push` runs the hook without the daemon's options or environment.
 */
export async function hookCommands(config: Config): Promise<HookCommands> {
  const dir = home();
  const atDefault = dir !== undefined && config.file === defaultConfigPath(dir);
  const withConfig = (command: string[]) => atDefault ? command : [...command, "--config", config.file];
  const { prePushProgram } = await lazy<typeof import("../hook_bundle.ts")>("hookBundle");
  return { prePush: withConfig(await prePushProgram()), publish: withConfig(selfCommand()) };
}
