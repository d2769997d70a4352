/** Timers that end when the daemon stops, so a stop never waits out a sleep. */

import type { Logger } from "../log/logger.ts";

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** Runs `task` every `ms` until `signal` aborts; a failing round is logged and the next one still runs. */
export async function every(ms: number, task: () => Promise<void>, signal: AbortSignal, log: Logger) {
  while (!signal.aborted) {
    await sleepUnless(ms, signal);
    if (signal.aborted) break;
    try {
      await task();
    } catch (error) {
      log.error("Periodic task failed: {error}", { error: (error as Error).message });
    }
  }
}
