/**
 * Per-repository work queue: at most one job runs for a repository at a time, and everything that arrives
 * meanwhile is merged into a single pending job ("latest wins"), so a burst of triggers costs one extra run.
 */

interface Pending<J> {
  job: J;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

export class RepoScheduler<J> {
  readonly #running = new Map<string, Promise<void>>();
  readonly #pending = new Map<string, Pending<J>>();

  constructor(
    private readonly execute: (key: string, job: J) => Promise<void>,
    private readonly merge: (older: J, newer: J) => J,
  ) {}

  /** Resolves when a run that includes this job has finished. */
  schedule(key: string, job: J): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = this.#pending.get(key);
      if (pending) {
        pending.job = this.merge(pending.job, job);
        pending.waiters.push({ resolve, reject });
      } else {
        this.#pending.set(key, { job, waiters: [{ resolve, reject }] });
      }
      if (!this.#running.has(key)) this.#drain(key);
    });
  }

  /** True while a job for `key` runs or waits. */
  busy(key: string): boolean {
    return this.#running.has(key) || this.#pending.has(key);
  }

  /** Waits until nothing runs or waits, including jobs scheduled while waiting. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  #drain(key: string): void {
    let finished = false;
    const run = (async () => {
      for (let next = this.#pending.get(key); next; next = this.#pending.get(key)) {
        this.#pending.delete(key);
        try {
          await this.execute(key, next.job);
          for (const waiter of next.waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of next.waiters) waiter.reject(error);
        }
      }
      // Synchronously with the last check for pending work: a waiter's continuation that schedules again must
      // find the key idle and start a new drain.
      this.#running.delete(key);
      finished = true;
    })();
    // An executor that throws synchronously finishes the drain before this line.
    if (!finished) this.#running.set(key, run);
  }
}
