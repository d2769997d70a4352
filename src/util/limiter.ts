/** Bounds how many tasks run at once; the rest wait in arrival order. */
export class Limiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`Limiter capacity must be at least 1, got ${capacity}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.capacity) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
      if (next) next();
      else this.#active--;
    }
  }
}
