/**
 * Flushes the log sinks at exit. Kept apart from the logger so that the entry point does not load the logging
 * library for commands that never log (the pre-push hook, on its fast path).
 *
 * The flush is kept on `globalThis`, not in this module: the pre-push hook's bundle (src/hook_bundle.ts)
 * carries its own copy of this module, while the logger it loads on demand comes from source and registers
 * with the source copy. One slot, whichever copy sets or reads it.
 */

const SLOT = Symbol.for("gitargus.loggingShutdown");

type Slots = { [SLOT]?: () => Promise<void> };

export function onLoggingShutdown(callback: () => Promise<void>): void {
  (globalThis as Slots)[SLOT] = callback;
}

export async function closeLogging(): Promise<void> {
  const flush = (globalThis as Slots)[SLOT];
  delete (globalThis as Slots)[SLOT];
  await flush?.();
}
