/** Pushes from this machine that no hook announced, turned into events and handed to the outbox relay. */

import { listBranches, type RepoLocation } from "../git/repo.ts";
import type { GitRunner } from "../git/runner.ts";
import type { PushEvent } from "../events/push_event.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../util/clock.ts";
import type { OutboxRelay } from "./outbox_relay.ts";
import { PushDetector } from "./push_detector.ts";

export class UnannouncedPushes {
  readonly #detector: PushDetector;

  constructor(
    private readonly deps: {
      runner: GitRunner;
      relay: OutboxRelay;
      hostname: string;
      clock: Clock;
      log: Logger;
    },
  ) {
    this.#detector = new PushDetector(deps.runner, deps.clock.now());
  }

  async announce(name: string, location: RepoLocation): Promise<void> {
    const { runner, relay, hostname, clock, log } = this.deps;
    for (const push of await this.#detector.detect(location, () => listBranches(runner, location))) {
      const event: PushEvent = {
        v: 1,
        type: "push",
        source: hostname,
        repository: name,
        remote: push.remote,
        refs: push.refs,
        at: clock.now().toISOString(),
      };
      if (await relay.knows(event)) continue;
      log.info("Announcing a push of {name} that its hook did not announce", { name });
      await relay.enqueue(event);
    }
  }
}
