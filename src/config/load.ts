/** Find, read, parse, validate and resolve the config file. */

import { ConfigError } from "../errors.ts";
import type { Config } from "./types.ts";
import { configPathFrom } from "./paths.ts";
import { parseConfigSource } from "./source.ts";
import { validateConfig } from "./schema.ts";
import { type ConfigFs, realConfigFs, resolveConfig } from "./resolve.ts";

export interface LoadOptions {
  /** `--config PATH`; wins over GITARGUS_CONFIG and the default location. */
  explicitPath?: string;
  env?: (name: string) => string | undefined;
  /** Used when the file has no `hostname`. */
  hostname?: () => string;
  fs?: ConfigFs;
}

export async function loadConfig(options: LoadOptions = {}): Promise<Config> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const file = configPathFrom({
    ...(options.explicitPath !== undefined && { explicit: options.explicitPath }),
    env,
  });
  const text = await readConfigText(file);
  return await configFromText(text, file, {
    env,
    hostname: options.hostname ?? (() => Deno.hostname()),
    fs: options.fs ?? realConfigFs,
  });
}

/** Parses, validates and resolves config text that was read from `file`. */
export async function configFromText(
  text: string,
  file: string,
  options: Required<Pick<LoadOptions, "env" | "hostname" | "fs">>,
): Promise<Config> {
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

/** Reads the file, turning "not there" and "cannot read" into ConfigErrors that say what to do. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigError(
        file,
        'the file does not exist; run "gitargus init" to create it',
        undefined,
        undefined,
        {
          cause: error,
        },
      );
    }
    const reason = error instanceof Error ? error.message.split(":")[0] : String(error);
    throw new ConfigError(file, `cannot read the file: ${reason}`, undefined, undefined, { cause: error });
  }
}
