/**
 * Collapses a burst of triggers per key into one call: it fires once the key has been quiet for `quietMs`, or
 * `maxWaitMs` after the first trigger of the burst, whichever comes first, so a long burst is still reported
 * within the bound.
 */

export class Debouncer {
  readonly #bursts = new Map<string, { first: number; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly fire: (key: string) => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  trigger(key: string): void {
    const burst = this.#bursts.get(key);
    const now = this.now();
    const first = burst?.first ?? now;
    if (burst) clearTimeout(burst.timer);
    const delay = Math.max(0, Math.min(this.quietMs, first + this.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.#bursts.delete(key);
      this.fire(key);
    }, delay);
    this.#bursts.set(key, { first, timer });
  }

  close(): void {
    for (const burst of this.#bursts.values()) clearTimeout(burst.timer);
    this.#bursts.clear();
  }
}
