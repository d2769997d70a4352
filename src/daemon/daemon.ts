/**
 * `gitargus run`: wires the monitor, the watcher, the queue and the timers together. Every trigger (start,
 * file change, push event, reconcile) becomes a job on the per-repository scheduler.
 */

import type { Config, RepositoryConfig } from "../config/types.ts";
import type { GitRunner } from "../git/runner.ts";
import type { Store } from "../store/store.ts";
import type { Publisher } from "../events/publisher.ts";
import type { Subscriber } from "../events/subscriber.ts";
import type { Outbox } from "../events/outbox.ts";
import type { Logger } from "../log/logger.ts";
import { monitorDeps, RepoMonitor } from "./monitor.ts";
import { type Clock } from "../util/clock.ts";
import { RepoScheduler } from "./scheduler.ts";
import type { Watcher, WatcherEvents } from "./watcher.ts";
import { Watching } from "./watching.ts";
import { every, sleepUnless } from "./stoppable.ts";
import { consumeQueue } from "./consumer.ts";
import { FULL_UPDATE, mergeJobs, REFRESH, type SyncJob } from "./sync_job.ts";
import { PushIntake } from "./push_intake.ts";
import { HostBeat } from "./host_beat.ts";
import { OutboxRelay } from "./outbox_relay.ts";
import { processAlive } from "../events/landing.ts";
import { UnannouncedPushes } from "./unannounced_pushes.ts";
import { OutageTracker } from "../aws/outage.ts";
import { CatchUp } from "./catch_up.ts";
import type { ReloadTarget } from "./config_reload.ts";
import type { LocalStateWriter } from "../presence/local_state.ts";
import { Attention } from "../attention/mod.ts";
import { collectGarbage } from "./heap.ts";
import { IDLE_CHECK_MS, type WipAutoSave, wipAutoSave } from "./wip_autosave.ts";

export interface DaemonDeps {
  config: Config;
  runner: GitRunner;
  store: Store;
  clock: Clock;
  log: Logger;
  version: string;
  /** How this process was started (src/daemon/host_beat.ts `launchMode`); `once()` records "once". */
  mode?: "service" | "foreground";
  /** Absent when no topic or queue is configured: the daemon then only keeps state. */
  publisher?: Publisher;
  subscriber?: Subscriber;
  outbox?: Outbox;
  createWatcher?: (events: WatcherEvents) => Watcher;
  /** How often repositories that cannot be watched are checked instead (default 10 s). */
  pollFallbackMs?: number;
  /** This host's states on disk for `leave --local`; absent in tests that do not look at it. */
  localState?: LocalStateWriter;
}

const POLL_FALLBACK_MS = 10_000;
/**
 * Memory is still being let go for a while after the daemon says it watches (the queue's first reads, the
 * runtime's file-operation threads, which end 10 s after their last job): handed back once more after that.
 */
const SETTLE_MS = 12_000;
/** How long to wait for a pushed sha to reach the remote (the hook runs before the push lands). */
const PUSH_WAIT_MS = 30_000;

export class Daemon implements ReloadTarget {
  readonly monitor: RepoMonitor;
  readonly #scheduler: RepoScheduler<SyncJob>;
  readonly #beat: HostBeat;
  #announced: Promise<void> = Promise.resolve();
  readonly #relay: OutboxRelay | null;
  readonly #unannounced: UnannouncedPushes | null;
  readonly #stop = new AbortController();
  readonly #outages: OutageTracker;
  readonly #catchUp: CatchUp;
  readonly #watching: Watching;
  readonly #attention: Attention;
  readonly #pushes: PushIntake;
  readonly #autoSave: WipAutoSave | null;

  constructor(private readonly deps: DaemonDeps) {
    this.#outages = new OutageTracker(deps.log);
    this.#attention = new Attention({ ...deps, outages: this.#outages, names: () => this.monitor.names() });
    this.monitor = new RepoMonitor(
      monitorDeps(deps.config, {
        runner: deps.runner,
        store: deps.store,
        clock: deps.clock,
        log: deps.log,
        outages: this.#outages,
        onStatus: (name, status) => this.#attention.observe(name, status),
        ...(deps.localState && { localState: deps.localState }),
      }),
      deps.config.repositories,
    );
    this.#scheduler = new RepoScheduler((name, job) => this.#execute(name, job), mergeJobs);
    this.#autoSave = wipAutoSave(deps, this.monitor);
    this.#pushes = new PushIntake({
      runner: deps.runner,
      log: deps.log,
      hostname: deps.config.hostname,
      monitor: this.monitor,
      schedule: (name, job) => this.#schedule(name, job),
      pushArrived: (event) => this.#attention.pushArrived(event),
      sleep: (ms, signal) => this.#sleep(ms, signal),
      stop: this.#stop.signal,
      waitMs: PUSH_WAIT_MS,
    });
    this.#watching = new Watching({
      runner: deps.runner,
      log: deps.log,
      names: () => this.monitor.names(),
      location: (name) => this.monitor.location(name),
      refresh: (name, rewatch) => this.#schedule(name, { ...REFRESH, rewatch }),
      createWatcher: deps.createWatcher,
      pollFallbackMs: deps.pollFallbackMs ?? POLL_FALLBACK_MS,
    });
    this.#beat = new HostBeat(deps, this.#outages, () => this.#attention.active());
    this.#relay = deps.outbox && deps.publisher
      ? new OutboxRelay(deps.outbox, deps.publisher, deps.log, this.#outages, deps.config.hostname, {
        runner: deps.runner,
        pathOf: (name) => this.monitor.config(name)?.path ?? null,
        alive: processAlive,
        now: Date.now,
      })
      : null;
    this.#catchUp = new CatchUp({
      outages: this.#outages,
      monitor: this.monitor,
      beat: this.#beat,
      relay: this.#relay,
      log: deps.log,
      stop: this.#stop.signal,
    });
    this.#unannounced = this.#relay
      ? new UnannouncedPushes({
        runner: deps.runner,
        relay: this.#relay,
        hostname: deps.config.hostname,
        clock: deps.clock,
        log: deps.log,
      })
      : null;
  }

  /** One full update: fetch, fast-forward when safe, read and write every repository. */
  async fullUpdate(): Promise<void> {
    const started = this.deps.clock.now();
    await Promise.all(this.monitor.names().map((name) => this.#schedule(name, FULL_UPDATE)));
    this.#beat.fullUpdateDone(started);
  }

  /** `run --once`: one full update, then the heartbeat that says so. */
  async once(): Promise<void> {
    this.#beat.runsOnce();
    await this.#start();
    await this.fullUpdate();
    await this.#attention.close();
    await this.#announced;
    await this.#beat.beat();
    await this.#relay?.flush();
    await this.deps.localState?.flush();
  }

  /**
   * Runs until `stop()`; resolves after the work in flight has finished. The queue is read from the start:
   * a push for a repository whose full update is still running merges into its pending job, and one hung
   * remote does not hold back the pushes of every other repository.
   */
  async run(): Promise<void> {
    const { log, config } = this.deps;
    await this.#start();
    const consuming: Promise<void>[] = [];
    if (this.deps.subscriber) {
      consuming.push(consumeQueue({
        subscriber: this.deps.subscriber,
        log,
        hostname: config.hostname,
        isConfigured: (name) => this.monitor.config(name) !== undefined,
        handle: (event) => this.#pushes.onPush(event),
        sleep: (ms) => this.#sleep(ms),
        outages: this.#outages,
      }, this.#stop.signal));
      log.info("Listening for pushes from other machines");
    } else {
      log.warn(
        "No SQS queue configured: pushes from other machines are not applied (run `gitargus setup-aws`)",
      );
    }
    await this.fullUpdate();
    await this.#announced;
    await this.#beat.beat();
    await this.#relay?.start();
    await this.#watching.start();
    collectGarbage();
    const loops = [
      ...consuming,
      this.#every(config.daemon.heartbeatSeconds * 1000, () => this.#heartbeat()),
      this.#catchUp.retryWhileDown((ms) => this.#sleep(ms)),
      this.#attention.run(this.#stop.signal),
      this.#settled(),
      this.#every(config.daemon.reconcileMinutes * 60_000, () => this.fullUpdate().then(collectGarbage)),
      this.#every(this.deps.pollFallbackMs ?? POLL_FALLBACK_MS, () => this.#watching.poll()),
      ...(this.#autoSave?.idle
        ? [this.#every(IDLE_CHECK_MS, () => this.#autoSave!.tick(this.deps.clock.now().getTime()))]
        : []),
    ];
    log.info("Watching {count} repositories", { count: this.monitor.names().length });
    await Promise.all(loops);
    this.#watching.close();
    await this.#scheduler.idle();
    await this.#autoSave?.stopping();
    await this.#attention.close();
    await this.#relay?.stop();
    await this.#beat.stopped();
    await this.deps.localState?.flush();
    log.info("Stopped");
  }

  stop(): void {
    this.#stop.abort();
  }

  /** A full update each, watched from its end on; the config reload does not wait for the fetches. */
  addRepositories(repositories: RepositoryConfig[]): Promise<void> {
    for (const repo of repositories) {
      this.monitor.add(repo);
      this.deps.log.info("Added {name}: it is configured now", { name: repo.name });
      void this.#schedule(repo.name, FULL_UPDATE).then(() => this.#schedule(repo.name, REFRESH));
    }
    return Promise.resolve();
  }

  /** Its record goes once its running step has ended: that step may still write it. */
  async removeRepositories(names: string[]): Promise<void> {
    await Promise.all(names.map(async (name) => {
      this.monitor.remove(name);
      this.#watching.forget(name);
      this.#pushes.supersede(name);
      // Runs after the step in flight, merged with the pending one: both end at once as not configured.
      await this.#scheduler.schedule(name, REFRESH).catch(() => {});
      await this.monitor.forget(name);
    }));
  }

  updateRepositories(repositories: RepositoryConfig[]): void {
    for (const repo of repositories) this.monitor.update(repo);
  }

  get stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  async #start(): Promise<void> {
    const { log, config } = this.deps;
    log.info("Starting on {hostname} with {count} repositories under {root}", {
      hostname: config.hostname,
      count: config.repositories.length,
      root: config.root,
    });
    try {
      await this.monitor.seedFromStore();
    } catch (error) {
      log.warn("Cannot read this host's records from the store: {error}", {
        error: (error as Error).message,
      });
    }
    // Readers find hosts by their host record (src/store/table_schema.ts): written before the first
    // repository, a machine's first start is listed while its full update runs. Not awaited: listening
    // comes first.
    this.#announced = this.#beat.beat();
  }

  #schedule(name: string, job: SyncJob): Promise<void> {
    return this.#scheduler.schedule(name, job).catch((error) => {
      // Removed from the config while its step ran: the step ended on that, nothing failed.
      if (this.monitor.config(name) === undefined) return;
      this.deps.log.error("Update of {name} failed: {error}", { name, error: (error as Error).message });
    });
  }

  async #execute(name: string, job: SyncJob): Promise<void> {
    // Stopping finishes the work in flight; queued work waits for the next start's full update.
    if (this.stopping || this.monitor.config(name) === undefined) return;
    const fetches = job.fetch || job.refs.length > 0;
    // Superseded: the newer push's run, next in line, fast-forwards and reads the repository.
    const applyArrived = async () => {
      if (job.fastForward) await this.monitor.fastForward(name);
      await this.monitor.refresh(name);
    };
    if (fetches && await this.#pushes.fetchUntilPresent(name, job, applyArrived) && !job.rewatch) return;
    if (job.fastForward || this.monitor.fastForwardWaiting(name)) await this.monitor.fastForward(name);
    await this.monitor.refresh(name);
    if (job.rewatch) await this.#watching.rewatch(name);
    const location = this.monitor.location(name);
    if (location) await this.#unannounced?.announce(name, location);
  }

  async #settled(): Promise<void> {
    await this.#sleep(SETTLE_MS);
    if (!this.stopping) collectGarbage();
  }

  async #heartbeat(): Promise<void> {
    await this.#beat.beat();
    await this.monitor.flushUnwritten();
    await this.#relay?.flush();
  }

  /** A sleep that ends early when the daemon stops (or `signal`, which should include the stop, aborts). */
  #sleep(ms: number, signal: AbortSignal = this.#stop.signal): Promise<void> {
    return sleepUnless(ms, signal);
  }

  #every(ms: number, task: () => Promise<void>): Promise<void> {
    return every(ms, task, this.#stop.signal, this.deps.log);
  }
}
