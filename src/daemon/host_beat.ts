/** The host record: written at start, on every heartbeat, and once more at a clean stop. */

import type { DaemonDeps } from "./daemon.ts";
import type { HostRecord } from "../store/store.ts";

export class HostBeat {
  readonly #startedAt: string;
  #lastFullUpdate: string | null = null;

  constructor(private readonly deps: DaemonDeps) {
    this.#startedAt = deps.clock.now().toISOString();
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
      platform: `${Deno.build.os}-${Deno.build.arch}`,
      root: config.root,
      repositories: config.repositories.length,
      lastFullUpdateAt: this.#lastFullUpdate,
      stoppedAt: stopped ? now : null,
    };
  }

  async beat(): Promise<void> {
    try {
      await this.deps.store.putHost(this.record());
    } catch (error) {
      this.deps.log.warn("Cannot write the heartbeat: {error}", { error: (error as Error).message });
    }
  }

  /** Tells readers at once that this machine stopped, instead of letting the heartbeat age out. */
  async stopped(): Promise<void> {
    try {
      await this.deps.store.putHost(this.record(true));
    } catch {
      // Best effort: the heartbeat ages out anyway.
    }
  }
}
