/**
 * The resolved config, kept as JSON beside the config file's identity. The pre-push hook must not slow a push,
 * and parsing YAML and validating it costs a third of the hook's time, so the hook reads this copy while the
 * file is unchanged (same inode, size and modification time, same HOME and host name).
 */

import { join } from "../util/path.ts";
import type { Config } from "./types.ts";
import { gitargusDir } from "./paths.ts";
import { writeFileAtomic } from "../util/fs.ts";
import * as localFs from "../util/local_fs.ts";

interface CachedConfig {
  key: string;
  config: Config;
}

export async function cacheKey(
  file: string,
  home: string | undefined,
  hostname: () => string,
): Promise<string | null> {
  try {
    const info = await localFs.stat(file);
    return JSON.stringify([file, info.ino, info.size, info.mtime?.getTime(), home, hostname()]);
  } catch {
    return null;
  }
}

function cacheFile(home: string): string {
  return join(gitargusDir(home), "cache", "config.json");
}

export async function readCachedConfig(home: string, key: string): Promise<Config | null> {
  try {
    const cached = JSON.parse(await localFs.readTextFile(cacheFile(home))) as CachedConfig;
    return cached.key === key ? cached.config : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written only makes the next hook slower. */
export async function writeCachedConfig(home: string, key: string, config: Config): Promise<void> {
  const file = cacheFile(home);
  try {
    await writeFileAtomic(file, JSON.stringify({ key, config } satisfies CachedConfig));
  } catch {
    // Ignored on purpose.
  }
}
