/**
 * Runs a task one at a time. A request while it runs asks for exactly one more run right after it, however
 * many requests arrive: work that "catches up on everything" never runs twice at once, and nothing asked for
 * during a run is missed.
 */
export class Coalescer {
  #running: Promise<void> | null = null;
  #again = false;

  /** `keepGoing` can end a series of runs early (a daemon that stops). */
  constructor(
    private readonly task: () => Promise<void>,
    private readonly keepGoing: () => boolean = () => true,
  ) {}

  run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.task();
      } while (this.#again && this.keepGoing());
    })().finally(() => this.#running = null);
    return this.#running;
  }

  /** Settles when no run is in flight. */
  idle(): Promise<void> {
    return this.#running?.catch(() => {}) ?? Promise.resolve();
  }
}
