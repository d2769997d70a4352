/**
 * Push events the hook could not publish (offline, AWS down). The hook must not wait for AWS, so it leaves
 * the event here and the daemon publishes it once AWS answers again.
 */

import { join } from "../util/path.ts";
import type { Logger } from "../log/logger.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { lazy } from "../lazy.ts";
import { deduplicationId, type PushEvent } from "./push_event.ts";

export interface OutboxEntry {
  file: string;
  event: PushEvent;
}

export class Outbox {
  constructor(readonly dir: string) {}

  async add(event: PushEvent): Promise<string> {
    await Deno.mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${await deduplicationId(event)}.json`);
    await writeFileAtomic(file, JSON.stringify(event));
    return file;
  }

  async list(log: Logger): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    let names: string[];
    try {
      names = [];
      for await (const entry of Deno.readDir(this.dir)) {
        if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    // The validator (and its schema library) loads only here: the hook, which only adds, stays light.
    const { parsePushEvent } = await lazy<typeof import("./parse_event.ts")>("parseEvent");
    for (const name of names.sort()) {
      const file = join(this.dir, name);
      try {
        entries.push({ file, event: parsePushEvent(await Deno.readTextFile(file)) });
      } catch (error) {
        // A damaged entry would block the outbox forever: set it aside for a human, keep the rest going.
        log.warn("Setting aside unreadable outbox entry {file}: {error}", {
          file,
          error: (error as Error).message,
        });
        await Deno.rename(file, `${file}.bad`).catch(() => {});
      }
    }
    return entries;
  }

  async remove(entry: OutboxEntry): Promise<void> {
    await Deno.remove(entry.file).catch(() => {});
  }
}
