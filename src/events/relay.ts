/**
 * The outbox doubles as a mailbox to the local daemon. While a daemon runs it keeps a marker file in the outbox
 * fresh; the hook then only drops its event there (no AWS SDK to load, no network wait inside `git push`) and
 * the daemon, whose AWS client is already warm, publishes it at once. Without a fresh marker the hook publishes
 * itself.
 */

import { join } from "../util/path.ts";

export const ALIVE_MARKER = ".daemon-alive";
/** How often the daemon touches the marker, and how old it may be before the hook stops trusting it. */
export const ALIVE_TOUCH_MS = 5_000;
export const ALIVE_STALE_MS = 15_000;

export function aliveMarker(outboxDir: string): string {
  return join(outboxDir, ALIVE_MARKER);
}

export async function daemonAlive(outboxDir: string, now: () => number = Date.now): Promise<boolean> {
  try {
    const info = await Deno.stat(aliveMarker(outboxDir));
    return info.mtime !== null && now() - info.mtime.getTime() < ALIVE_STALE_MS;
  } catch {
    return false;
  }
}

export async function touchAlive(outboxDir: string): Promise<void> {
  const file = aliveMarker(outboxDir);
  const now = new Date();
  try {
    await Deno.utime(file, now, now);
  } catch {
    await Deno.mkdir(outboxDir, { recursive: true });
    await Deno.writeTextFile(file, `${Deno.pid}\n`);
  }
}

export async function clearAlive(outboxDir: string): Promise<void> {
  await Deno.remove(aliveMarker(outboxDir)).catch(() => {});
}
