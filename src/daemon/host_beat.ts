/** The host record: written at start, on every heartbeat, and once more at a clean stop. */

import type { DaemonDeps } from "./daemon.ts";
import type { HostMode, HostRecord } from "../store/store.ts";
import { PUSH_EVENT_VERSION } from "../events/push_event.ts";
import { LAUNCH_AGENT_LABEL } from "../service/launchd.ts";
import { hostRevisions } from "../store/host_revisions.ts";
import type { OutageTracker } from "../aws/outage.ts";
import { type AttentionItem, MAX_RECORDED_ITEMS } from "../state/attention_item.ts";

/**
 * "service" when a service manager started this process: systemd gives every process of a unit its
 * INVOCATION_ID, launchd names the agent's label in XPC_SERVICE_NAME (a terminal app sets another value).
 */
export function launchMode(env: (name: string) => string | undefined): "service" | "foreground" {
  if (env("INVOCATION_ID")) return "service";
  if (env("XPC_SERVICE_NAME") === LAUNCH_AGENT_LABEL) return "service";
  return "foreground";
}

export class HostBeat {
  readonly #startedAt: string;
  #once = false;
  #lastFullUpdate: string | null = null;
  /** Highest revision this process sent for the host item: a refusal above it came from another process. */
  #sent = 0;

  constructor(
    private readonly deps: DaemonDeps,
    private readonly outages?: OutageTracker,
    /** The daemon's active attention items, carried in the record for `status` and the dashboard. */
    private readonly attention?: () => AttentionItem[],
  ) {
    this.#startedAt = deps.clock.now().toISOString();
  }

  /** `run --once`: readers show this host by its last run, since no heartbeat follows. */
  runsOnce(): void {
    this.#once = true;
  }

  get mode(): HostMode {
    return this.#once ? "once" : this.deps.mode ?? "foreground";
  }

  fullUpdateDone(at: Date): void {
    this.#lastFullUpdate = at.toISOString();
  }

  record(stopped = false): HostRecord {
    const { config, clock, version } = this.deps;
    const now = clock.now().toISOString();
    return {
      hostname: config.hostname,
      heartbeatAt: now,
      startedAt: this.#startedAt,
      heartbeatSeconds: config.daemon.heartbeatSeconds,
      version,
      mode: this.mode,
      eventVersion: PUSH_EVENT_VERSION,
      platform: `${Deno.build.os}-${Deno.build.arch}`,
      root: config.root,
      repositories: config.repositories.length,
      lastFullUpdateAt: this.#lastFullUpdate,
      stoppedAt: stopped ? now : null,
      ...(this.attention && { attention: this.attention().slice(0, MAX_RECORDED_ITEMS) }),
    };
  }

  async beat(): Promise<void> {
    const sent = this.outages?.sending();
    try {
      await this.#write(this.record());
    } catch (error) {
      if (this.outages) this.outages.failed("dynamodb", error, sent);
      else this.deps.log.warn("Cannot write the heartbeat: {error}", { error: (error as Error).message });
      return;
    }
    this.outages?.succeeded("dynamodb");
  }

  /** Tells readers at once that this machine stopped, instead of letting the heartbeat age out. */
  async stopped(): Promise<void> {
    try {
      await this.#write(this.record(true));
    } catch {
      // Best effort: the heartbeat ages out anyway.
    }
  }

  /**
   * Numbered as it is built, so a record built later always wins. A refusal by a revision another process
   * of this host wrote moves the counter past it, and the next beat lands.
   */
  async #write(record: HostRecord): Promise<void> {
    const revisions = hostRevisions(this.deps.store, record.hostname);
    const revision = await revisions.revision(revisions.take());
    this.#sent = Math.max(this.#sent, revision);
    const result = await this.deps.store.putHost(record, revision);
    const stored = result.outcome === "stale" ? result.storedRevision : null;
    if (stored !== null && (stored > this.#sent || stored === revision)) {
      revisions.learn(stored);
    }
  }
}
