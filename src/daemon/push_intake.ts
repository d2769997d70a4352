/**
 * What the daemon does with another machine's push event: the branches it names become a job on the
 * repository's scheduler, whose fetch waits for them to land (a newer push of the repository ends that wait);
 * snapshot refs of `gitargus wip` go to their own handler and never hold up, or supersede, a branch push.
 */

import type { GitRunner } from "../git/runner.ts";
import type { Logger } from "../log/logger.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { RepoMonitor } from "./monitor.ts";
import { pushJob, REFRESH, type SyncJob } from "./sync_job.ts";
import { fetchForJob } from "./push_wait.ts";
import { WipEvents } from "./wip_events.ts";
import { isWipRef } from "../wip/mod.ts";

export interface PushIntakeDeps {
  runner: GitRunner;
  log: Logger;
  hostname: string;
  monitor: RepoMonitor;
  schedule: (name: string, job: SyncJob) => Promise<void>;
  /** Told of every branch push (event hooks, attention). */
  pushArrived: (event: PushEvent) => void;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  stop: AbortSignal;
  waitMs: number;
}

export class PushIntake {
  /** Per repository, the running job's signal that a newer push came in. */
  readonly #superseded = new Map<string, AbortController>();
  readonly #wip: WipEvents;

  constructor(private readonly deps: PushIntakeDeps) {
    this.#wip = new WipEvents({
      runner: deps.runner,
      log: deps.log,
      hostname: deps.hostname,
      locate: (name) => deps.monitor.locate(name),
      refresh: (name) => deps.schedule(name, REFRESH),
    });
  }

  /** Taken into the repository's pending job at once; a wait for an older push of it ends. */
  onPush(event: PushEvent): Promise<void> {
    const snapshots = event.refs.filter((r) => isWipRef(r.ref));
    if (snapshots.length > 0) void this.#wip.handle({ ...event, refs: snapshots });
    const branches = snapshots.length ? event.refs.filter((r) => !isWipRef(r.ref)) : event.refs;
    if (branches.length === 0) return Promise.resolve();
    const pushed = { ...event, refs: branches };
    this.supersede(event.repository);
    this.deps.pushArrived(pushed);
    void this.deps.schedule(event.repository, pushJob(pushed.refs, pushed.remote));
    return Promise.resolve();
  }

  /** Ends the wait of the repository's running job, if any. */
  supersede(name: string): void {
    this.#superseded.get(name)?.abort();
  }

  /** The job's fetch, until its pushed refs are present; true when a newer push came in meanwhile. */
  async fetchUntilPresent(name: string, job: SyncJob, applyArrived: () => Promise<void>): Promise<boolean> {
    const { monitor } = this.deps;
    const superseded = new AbortController();
    this.#superseded.set(name, superseded);
    try {
      await fetchForJob(
        {
          runner: this.deps.runner,
          log: this.deps.log,
          locate: () => monitor.locate(name),
          fetch: () => monitor.fetch(name),
          applyArrived,
          sleep: this.deps.sleep,
          waitMs: this.deps.waitMs,
        },
        name,
        job,
        AbortSignal.any([superseded.signal, this.deps.stop]),
      );
      return superseded.signal.aborted;
    } finally {
      if (this.#superseded.get(name) === superseded) this.#superseded.delete(name);
    }
  }
}
