/**
 * Flushes the log sinks at exit. Kept apart from the logger so that the entry point does not load the logging
 * library for commands that never log (the pre-push hook, on its fast path).
 */

let flush: (() => Promise<void>) | null = null;

export function onLoggingShutdown(callback: () => Promise<void>): void {
  flush = callback;
}

export async function closeLogging(): Promise<void> {
  await flush?.();
  flush = null;
}
