/** The start-up full update leaves the largest heap the daemon will have; return it before idling. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
