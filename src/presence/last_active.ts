/**
 * When this machine was last active, for `arrive`: the time of the last `leave` or `arrive` run here (kept per
 * host name in `~/.gitargus/presence.json`), else this host's daemon stop or start as its record says, else a
 * day ago. `--since 2h` or an ISO time overrides all of them.
 */

import { UsageError } from "../errors.ts";
import type { HostRecord } from "../store/store.ts";
import { writeFileAtomic } from "../util/fs.ts";
import type { SinceSource } from "./arrive.ts";

type Runs = Record<string, { leave?: string; arrive?: string }>;

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DEFAULT_MS = UNITS.d!;

/** `--since`: "90m", "2h", "3d", "1w", or an ISO-8601 time. */
export function parseSince(text: string, now: Date): Date {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!]!);
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at)) {
    throw new UsageError(`--since "${text}" is neither a duration (30m, 2h, 3d, 1w) nor an ISO time`);
  }
  return new Date(at);
}

export async function lastActive(
  file: string,
  hostname: string,
  host: HostRecord | undefined,
  now: Date,
): Promise<{ at: Date; from: SinceSource }> {
  const mine = (await readRuns(file))[hostname] ?? {};
  const runs = ([["last-leave", mine.leave], ["last-arrive", mine.arrive]] as const)
    .filter(([, at]) => at !== undefined && !Number.isNaN(Date.parse(at)))
    .sort((a, b) => Date.parse(b[1]!) - Date.parse(a[1]!));
  const latest = runs[0];
  if (latest) return { at: new Date(latest[1]!), from: latest[0] };
  if (host?.stoppedAt) return { at: new Date(host.stoppedAt), from: "daemon-stop" };
  if (host?.startedAt) return { at: new Date(host.startedAt), from: "daemon-start" };
  return { at: new Date(now.getTime() - DEFAULT_MS), from: "default" };
}

/** Records a run; a file that cannot be written costs only the next `arrive`'s starting point. */
export async function recordRun(
  file: string,
  hostname: string,
  what: "leave" | "arrive",
  at: Date,
): Promise<void> {
  const runs = await readRuns(file);
  runs[hostname] = { ...runs[hostname], [what]: at.toISOString() };
  await writeFileAtomic(file, JSON.stringify(runs, null, 2) + "\n", { mode: 0o600 }).catch(() => {});
}

async function readRuns(file: string): Promise<Runs> {
  try {
    const value = JSON.parse(await Deno.readTextFile(file)) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? value as Runs : {};
  } catch {
    return {};
  }
}
