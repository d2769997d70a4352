/**
 * Push events the hook could not publish (offline, AWS down). The hook must not wait for AWS, so it leaves
 * the event here and the daemon publishes it once AWS answers again, in push order: each entry's name starts
 * with a sequence number one above the highest waiting, so neither clocks nor directory order decide.
 * Entries are `<sequence>-<deduplication id>.json`.
 */

import { join } from "../util/path.ts";
import type { Logger } from "../log/logger.ts";
import { writeFileAtomic } from "../util/fs.ts";
import * as localFs from "../util/local_fs.ts";
import { lazy } from "../lazy.ts";
import { deduplicationId, type PushEvent } from "./push_event.ts";

export interface OutboxEntry {
  file: string;
  event: PushEvent;
  /** Written by a hook before its push: published once the push landed (src/events/landing.ts). */
  awaiting?: PushInFlight;
}

/** The git that is pushing (its pid) and when the hook wrote the entry (ms since the epoch). */
export interface PushInFlight {
  pusher: number;
  since: number;
}

const SEQUENCE_DIGITS = 12;
// Any number of digits: a stray file with a huge number must not push the next entry out of the pattern.
const ENTRY = /^(?:(\d+)-)?([^.]+)\.json$/;

export class Outbox {
  /** Damaged entries that could not be set aside (a read-only folder): skipped, and logged once. */
  readonly #stuck = new Set<string>();

  constructor(readonly dir: string) {}

  /** Adds the event after every waiting one; the same push added again keeps its place. */
  async add(event: PushEvent, awaiting?: PushInFlight): Promise<string> {
    const id = deduplicationId(event);
    const names = await this.#names();
    const waiting = names.find((name) => idOf(name) === id);
    if (waiting) return join(this.dir, waiting);
    const next = names.reduce((highest, name) => max(highest, sequenceOf(name)), 0n) + 1n;
    const file = join(this.dir, `${next.toString().padStart(SEQUENCE_DIGITS, "0")}-${id}.json`);
    // Beside the event, not in it: the entry's landing state never travels to other machines.
    // The folder is made by the write; the mode is given, so no look at a file that is not there yet.
    await writeFileAtomic(file, JSON.stringify(awaiting ? { ...event, awaiting } : event), { mode: 0o644 });
    return file;
  }

  /** The waiting entries, oldest push first. */
  async list(log: Logger): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    const names = await this.#names();
    if (names.length === 0) return [];
    // The validator (and its schema library) loads only here: the hook, which only adds, stays light.
    const { parsePushEvent, MAX_EVENT_BYTES } = await lazy<typeof import("./parse_event.ts")>("parseEvent");
    for (const name of names.sort(bySequence)) {
      const file = join(this.dir, name);
      if (this.#stuck.has(file)) continue;
      try {
        // Sized before it is read: a stray file of gigabytes must not be loaded to be refused.
        const { size } = await localFs.stat(file);
        if (size > MAX_EVENT_BYTES) {
          throw new Error(`${size} bytes, more than any event (${MAX_EVENT_BYTES})`);
        }
        const text = await localFs.readTextFile(file);
        const event = parsePushEvent(text);
        const awaiting = inFlight((JSON.parse(text) as { awaiting?: unknown }).awaiting);
        entries.push({ file, event, ...(awaiting && { awaiting }) });
      } catch (error) {
        // A damaged entry would block the outbox forever: set it aside for a human, keep the rest going.
        const moved = await localFs.rename(file, `${file}.bad`).then(() => true, () => false);
        if (!moved) this.#stuck.add(file);
        log.warn(
          `Setting aside unreadable outbox entry {file}${moved ? "" : " (it stays, skipped)"}: {error}`,
          {
            file,
            error: (error as Error).message,
          },
        );
      }
    }
    return entries;
  }

  /**
   * The repository each waiting entry names (null when it cannot be told), for `leave`: read only, so a
   * damaged entry is counted and left for the daemon to set aside.
   */
  async waitingRepositories(): Promise<Array<string | null>> {
    return await Promise.all(
      (await this.#names()).sort(bySequence).map(async (name) => {
        try {
          const file = join(this.dir, name);
          if ((await localFs.stat(file)).size > 65_536) return null;
          const repository =
            (JSON.parse(await localFs.readTextFile(file)) as { repository?: unknown }).repository;
          return typeof repository === "string" ? repository : null;
        } catch {
          return null;
        }
      }),
    );
  }

  async remove(entry: OutboxEntry): Promise<void> {
    await localFs.remove(entry.file).catch(() => {});
  }

  async #names(): Promise<string[]> {
    const names: string[] = [];
    try {
      for (const entry of await localFs.readDir(this.dir)) {
        if (entry.isFile && ENTRY.test(entry.name)) names.push(entry.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    return names;
  }
}

function inFlight(value: unknown): PushInFlight | null {
  if (typeof value !== "object" || value === null) return null;
  const { pusher, since } = value as Record<string, unknown>;
  return Number.isInteger(pusher) && (pusher as number) > 0 && Number.isFinite(since)
    ? { pusher: pusher as number, since: since as number }
    : null;
}

/**
 * Entries written before sequence numbers existed count as 0: older than any numbered one. Exact integers:
 * beyond 2^53 a float would stop counting up and two pushes would share a place.
 */
function sequenceOf(name: string): bigint {
  return BigInt(ENTRY.exec(name)?.[1] ?? 0);
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function idOf(name: string): string {
  return ENTRY.exec(name)?.[2] ?? name;
}

function bySequence(a: string, b: string): number {
  const [x, y] = [sequenceOf(a), sequenceOf(b)];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
