/**
 * Attention where you are: the one door of the capability. The daemon tells it what it reads (its own
 * repositories, push events, how AWS answers) and it keeps the active items (src/attention/tracker.ts),
 * delivers the news quietly (quiet.ts, src/notify) and runs the event hooks (src/event_hooks). The other
 * machines' states come from the store's snapshot every `notify.othersSeconds` (one Scan: 288 a day at the
 * default 300 s).
 */

import type { Config, NotifyConfig } from "../config/types.ts";
import type { RepoStatus } from "../state/repo_status.ts";
import type { AttentionItem } from "../state/attention_item.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../util/clock.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { notifyConfig } from "../config/resolve.ts";
import {
  awsUnreachableItem,
  fastForwardItem,
  type KindSwitch,
  OtherMachines,
  repositoryItems,
} from "./detect.ts";
import { AttentionTracker, type ItemChange } from "./tracker.ts";
import { QuietGate } from "./quiet.ts";
import { Notifier } from "../notify/mod.ts";
import { EventHooks } from "../event_hooks/mod.ts";
import { sleepUnless } from "../daemon/stoppable.ts";
import { collectGarbage } from "../daemon/heap.ts";

export { AttentionTracker, type ItemChange } from "./tracker.ts";
export { type Delivery, type Notice, QuietGate } from "./quiet.ts";

export interface AttentionDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  outages: OutageTracker;
  /** The daemon's repositories now (a removed one's items clear). */
  names: () => string[];
}

/** How often the AWS item and the offline rule are looked at: cheap, no request. */
const TICK_MS = 5_000;
const REPO_SOURCE = "repo:";

export class Attention {
  readonly tracker = new AttentionTracker();
  readonly #notify: NotifyConfig;
  readonly #on: KindSwitch;
  readonly #others: OtherMachines;
  readonly #gate: QuietGate | null;
  readonly #notifier: Notifier | null;
  readonly #hooks: EventHooks;
  /** Per repository, the time of the last fast-forward already told. */
  readonly #toldSync = new Map<string, string>();
  #othersReadAt = -Infinity;

  constructor(private readonly deps: AttentionDeps) {
    const { config, log } = deps;
    // A config built in code (tests, benchmarks) delivers nothing unless it asks to.
    this.#notify = config.notify ?? { ...notifyConfig(true), enabled: false };
    this.#on = (kind) => this.#notify.kinds[kind];
    this.#others = new OtherMachines({
      self: config.hostname,
      on: this.#on,
      workAtRiskMinutes: this.#notify.workAtRiskMinutes,
    });
    const notify = this.#notify;
    this.#notifier = notify.enabled && (notify.desktop || notify.command)
      ? new Notifier({
        desktop: notify.desktop,
        command: notify.command,
        timeoutMs: notify.timeoutSeconds * 1000,
        log: log.getChild("notify"),
      })
      : null;
    const notifier = this.#notifier;
    this.#gate = notifier ? new QuietGate({ deliver: (delivery) => notifier.send(delivery) }) : null;
    this.#hooks = new EventHooks({ hooks: config.eventHooks ?? [], log: log.getChild("hooks") });
    this.tracker.onChange((changes) => this.#changed(changes));
  }

  /** The monitor's view of one repository: its items, and a fast-forward just done. */
  observe(name: string, status: RepoStatus): void {
    const { hostname } = this.deps.config;
    const now = this.deps.clock.now();
    this.tracker.set(REPO_SOURCE + name, repositoryItems(hostname, status, this.#on, now));
    const sync = status.sync;
    if (sync?.result !== "fast-forwarded" || this.#toldSync.get(name) === sync.at) return;
    this.#toldSync.set(name, sync.at);
    if (this.#on("fastForwarded")) this.tracker.announce(fastForwardItem(hostname, status, now));
    this.#hooks.emit({
      v: 1,
      type: "fast-forwarded",
      host: hostname,
      at: sync.at,
      repository: name,
      path: status.path,
      branch: status.branch,
      head: status.head,
      ...(sync.reason !== undefined && { reason: sync.reason }),
    });
  }

  pushArrived(event: PushEvent): void {
    const { source, repository, remote, refs, at } = event;
    this.#hooks.emit({
      v: 1,
      type: "push",
      host: this.deps.config.hostname,
      at,
      repository,
      source,
      remote,
      refs,
    });
  }

  active(): AttentionItem[] {
    return this.tracker.active();
  }

  /** Until `signal` aborts: the AWS item, the offline rule, and the other machines' states. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.check();
      await sleepUnless(TICK_MS, signal);
    }
  }

  /** One round of `run`. */
  async check(): Promise<void> {
    const { config, outages, clock, names } = this.deps;
    const configured = new Set(names());
    this.tracker.prune((source) =>
      !source.startsWith(REPO_SOURCE) || configured.has(source.slice(REPO_SOURCE.length))
    );
    const down = outages.downForMs();
    this.#gate?.setOffline(down > 0);
    const aws = awsUnreachableItem(
      config.hostname,
      down,
      this.#notify.awsUnreachableMinutes,
      this.#on,
      clock.now(),
    );
    this.tracker.set("aws", aws ? [aws] : []);
    // `notify: false` turns the feature off: no reads of the other machines either.
    const wanted = this.#notify.enabled && (this.#on("workAtRisk") || this.#on("offlineWithWork"));
    const due = performance.now() - this.#othersReadAt >= this.#notify.othersSeconds * 1000;
    if (!wanted || !due || down > 0) return;
    this.#othersReadAt = performance.now();
    const sent = outages.sending();
    try {
      const snapshot = await this.deps.store.snapshot();
      outages.succeeded("dynamodb");
      this.tracker.set("others", this.#others.items(snapshot, clock.now()));
      // Every machine's records were decoded only to be dropped: give the memory back between reads.
      collectGarbage();
    } catch (error) {
      // The items stand as last seen: a machine unreachable is no news about the others.
      outages.failed("dynamodb", error, sent);
    }
  }

  /** Delivers what waits, lets the hooks run out (bounded), then returns. */
  async close(): Promise<void> {
    this.#gate?.flush();
    await this.#notifier?.idle();
    await this.#hooks.close();
  }

  #changed(changes: ItemChange[]): void {
    const { config, clock, outages } = this.deps;
    if (this.#gate) {
      this.#gate.setOffline(outages.downForMs() > 0);
      this.#gate.offer(changes);
    }
    const at = clock.now().toISOString();
    for (const { change, item } of changes) {
      // A fast-forward reaches the hooks as its own event.
      if (item.kind === "fastForwarded") continue;
      this.#hooks.emit({ v: 1, type: "attention", host: config.hostname, at, change, item });
    }
  }
}
