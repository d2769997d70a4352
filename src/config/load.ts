/** Find, read, parse, validate and resolve the config file. */

import { ConfigError } from "../errors.ts";
import type { Config } from "./types.ts";
import { configPathFrom } from "./paths.ts";
import type { ConfigFs } from "./resolve.ts";
import { cacheKey, readCachedConfig, writeCachedConfig } from "./cache.ts";
import { lazy } from "../lazy.ts";

export interface LoadOptions {
  /** `--config PATH`; wins over GITARGUS_CONFIG and the default location. */
  explicitPath?: string;
  env?: (name: string) => string | undefined;
  /** Used when the file has no `hostname`. */
  hostname?: () => string;
  fs?: ConfigFs;
  /** Accept the cached copy of an unchanged file (the hook's fast path). */
  cached?: boolean;
}

export async function loadConfig(options: LoadOptions = {}): Promise<Config> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const file = configPathFrom({
    ...(options.explicitPath !== undefined && { explicit: options.explicitPath }),
    env,
  });
  const hostname = options.hostname ?? (() => Deno.hostname());
  const home = env("HOME") || undefined;
  const key = home && !options.fs ? await cacheKey(file, home, hostname) : null;
  if (options.cached && home && key) {
    const cached = await readCachedConfig(home, key);
    if (cached) return cached;
  }
  const text = await readConfigText(file);
  const { realConfigFs } = await lazy<typeof import("./resolve.ts")>("configResolve");
  const config = await configFromText(text, file, { env, hostname, fs: options.fs ?? realConfigFs });
  if (home && key) await writeCachedConfig(home, key, config);
  return config;
}

/** Parses, validates and resolves config text that was read from `file`. */
export async function configFromText(
  text: string,
  file: string,
  options: Required<Pick<LoadOptions, "env" | "hostname" | "fs">>,
): Promise<Config> {
  // Loaded on demand: the YAML parser and the schema are most of a cached load's cost.
  const [{ parseConfigSource }, { validateConfig }, { resolveConfig }] = await Promise.all([
    lazy<typeof import("./source.ts")>("configSource"),
    lazy<typeof import("./schema.ts")>("configSchema"),
    lazy<typeof import("./resolve.ts")>("configResolve"),
  ]);
  const { raw, locate } = parseConfigSource(text, file);
  const input = validateConfig(raw, file, locate);
  return await resolveConfig(input, {
    file,
    locate,
    home: options.env("HOME") || undefined,
    hostname: options.hostname,
    fs: options.fs,
  });
}

/** Far beyond any real config (10,000 repositories take about 500 KB); refused before it is read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads the file as UTF-8, turning "not there", "not a file", "too large", "cannot read" and "not text" into
 * ConfigErrors that say what to do.
 */
export async function readConfigText(file: string): Promise<string> {
  const refuse = (detail: string, line?: number, cause?: unknown) =>
    new ConfigError(file, detail, undefined, line, cause === undefined ? undefined : { cause });
  let bytes: Uint8Array;
  try {
    const info = await Deno.stat(file);
    if (info.isDirectory) throw refuse("cannot read the file: it is a directory");
    if (!info.isFile) throw refuse("cannot read the file: it is not a regular file");
    if (info.size > MAX_CONFIG_BYTES) throw refuse(tooLarge(info.size));
    bytes = await Deno.readFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof Deno.errors.NotFound) throw refuse(await whyMissing(file), undefined, error);
    const reason = error instanceof Error ? error.message.split(":")[0] : String(error);
    throw refuse(`cannot read the file: ${reason}`, undefined, error);
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw refuse(tooLarge(bytes.length));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    const lossy = new TextDecoder().decode(bytes);
    const line = lossy.slice(0, lossy.indexOf("\uFFFD")).split("\n").length;
    throw refuse("the file is not UTF-8 text; save it as UTF-8", line, error);
  }
}

function tooLarge(size: number): string {
  return `the file is ${size} bytes, more than a config can be (${MAX_CONFIG_BYTES} bytes)`;
}

async function whyMissing(file: string): Promise<string> {
  const target = await Deno.readLink(file).catch(() => null);
  if (target !== null) return `it is a symbolic link to "${target}", which does not exist`;
  return 'the file does not exist; run "gitargus init" to create it';
}
