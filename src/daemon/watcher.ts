/**
 * File-system watching that scales to many repositories: each repository is watched non-recursively on a
 * chosen set of directories (its git metadata and the directories that hold tracked or untracked, non-ignored
 * files), so an ignored node_modules costs no watch at all. Repositories share a few inotify instances
 * (shards), since the per-user instance limit is small.
 */

import { basename, dirname } from "node:path";

export interface Watcher {
  /** Replaces the directories watched for `key`; an empty list stops watching it. */
  watch(key: string, directories: string[]): void;
  /** How many directories are watched in all. */
  watchCount(): number;
  /** Resolves once every change requested so far is in effect. */
  ready(): Promise<void>;
  close(): void;
}

export interface WatcherEvents {
  onChange(key: string, path: string): void;
  /** The system refused a watch (limit reached): these keys must be polled instead. */
  onFailure(keys: string[], error: Error): void;
}

const KEYS_PER_SHARD = 32;
const MAX_SHARDS = 16;
const REBUILD_DELAY_MS = 100;

interface Shard {
  keys: Set<string>;
  handle: Deno.FsWatcher | null;
  rebuild: ReturnType<typeof setTimeout> | null;
  built: PromiseWithResolvers<void> | null;
}

export class FsWatcher implements Watcher {
  readonly #directories = new Map<string, string[]>();
  readonly #owner = new Map<string, string>();
  readonly #shardOf = new Map<string, Shard>();
  readonly #shards: Shard[] = [];
  #closed = false;

  constructor(private readonly events: WatcherEvents) {}

  watch(key: string, directories: string[]): void {
    if (this.#closed) return;
    const previous = this.#directories.get(key) ?? [];
    const next = [...new Set(directories)].sort();
    if (previous.length === next.length && previous.every((d, i) => d === next[i])) return;
    for (const dir of previous) this.#owner.delete(dir);
    for (const dir of next) this.#owner.set(dir, key);
    this.#directories.set(key, next);
    this.#scheduleRebuild(this.#shardFor(key));
  }

  async ready(): Promise<void> {
    await Promise.all(this.#shards.map((s) => s.built?.promise));
  }

  watchCount(): number {
    let count = 0;
    for (const dirs of this.#directories.values()) count += dirs.length;
    return count;
  }

  close(): void {
    this.#closed = true;
    for (const shard of this.#shards) {
      if (shard.rebuild) clearTimeout(shard.rebuild);
      shard.built?.resolve();
      shard.handle?.close();
      shard.handle = null;
    }
  }

  #shardFor(key: string): Shard {
    const existing = this.#shardOf.get(key);
    if (existing) return existing;
    let shard = this.#shards.find((s) => s.keys.size < KEYS_PER_SHARD);
    if (!shard && this.#shards.length >= MAX_SHARDS) {
      shard = this.#shards.reduce((a, b) => (a.keys.size <= b.keys.size ? a : b));
    }
    if (!shard) {
      shard = { keys: new Set(), handle: null, rebuild: null, built: null };
      this.#shards.push(shard);
    }
    shard.keys.add(key);
    this.#shardOf.set(key, shard);
    return shard;
  }

  /** Watch sets change in bursts (a checkout adds many directories): rebuild a shard once per burst. */
  #scheduleRebuild(shard: Shard): void {
    if (shard.rebuild) clearTimeout(shard.rebuild);
    shard.built ??= Promise.withResolvers<void>();
    shard.rebuild = setTimeout(() => {
      shard.rebuild = null;
      this.#rebuild(shard);
      shard.built?.resolve();
      shard.built = null;
    }, REBUILD_DELAY_MS);
  }

  #rebuild(shard: Shard): void {
    if (this.#closed) return;
    // The new watch is set before the old one is closed: the runtime counts watches per folder, so the
    // shard's other repositories stay watched throughout instead of going deaf between the two.
    const previous = shard.handle;
    shard.handle = null;
    const keys = [...shard.keys];
    const directories = keys.flatMap((key) => (this.#directories.get(key) ?? []).filter(isDirectory));
    try {
      if (directories.length > 0) {
        shard.handle = Deno.watchFs(directories, { recursive: false });
        this.#pump(shard.handle, keys);
      }
    } catch (error) {
      this.events.onFailure(keys, error as Error);
    } finally {
      previous?.close();
    }
  }

  async #pump(handle: Deno.FsWatcher, keys: string[]): Promise<void> {
    try {
      for await (const event of handle) {
        for (const path of event.paths) this.#dispatch(path, event.kind);
      }
    } catch (error) {
      if (!this.#closed && !(error instanceof Deno.errors.BadResource)) {
        this.events.onFailure(keys, error as Error);
      }
    }
  }

  #dispatch(path: string, kind: Deno.FsEvent["kind"]): void {
    // Lock files come and go around every git command; the rename that ends one is reported on its own. An
    // index.lock deleted outright (a stale one removed by hand) ends nothing else, and a fast-forward waits for it.
    const name = basename(path);
    if (name.endsWith(".lock") && !(name === "index.lock" && kind === "remove")) return;
    const key = this.#owner.get(dirname(path)) ?? this.#owner.get(path);
    if (key !== undefined) this.events.onChange(key, path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
