/**
 * Retry delays for calls to AWS: short at first, doubling, capped low. The cap is what decides how late the
 * daemon notices that a service answers again, so it stays at a few seconds however long the outage lasts;
 * the jitter keeps a fleet of machines from retrying in step after a shared outage.
 */

export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 5_000;

export class Backoff {
  #failures = 0;

  constructor(
    private readonly firstMs = FIRST_RETRY_MS,
    private readonly maxMs = MAX_RETRY_MS,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt: between half and all of the doubled delay, never above the cap. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset(): void {
    this.#failures = 0;
  }
}
