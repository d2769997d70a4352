/**
 * `gitargus hook publish`: the one-shot publisher. The hook script starts it in the background when no
 * daemon runs (the hook's exit code says so), with every stream on /dev/null, so `git push` returns without
 * waiting for it. It publishes this host's outbox entries as their pushes land and exits; while it works it
 * holds the outbox's mailbox, so the hooks of further pushes leave their events to it instead of starting
 * another one.
 */

import type { GlobalOptions } from "../context.ts";
import { loadCliConfig, outboxPath, startLogging } from "../context.ts";
import { Outbox } from "../../events/outbox.ts";
import { LANDING_LIMIT_MS, processAlive } from "../../events/landing.ts";
import { OutboxRelay } from "../../daemon/outbox_relay.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { createPublisher } from "../../aws/services.ts";
import { logger } from "../../log/logger.ts";

export async function hookPublishCommand(globals: GlobalOptions): Promise<void> {
  // It runs in git's process group and session: a Ctrl-C or a closed terminal meant for the push must not
  // end the announcement of a push that may well have gone through.
  for (const signal of ["SIGINT", "SIGHUP"] as const) Deno.addSignalListener(signal, () => {});
  const config = await loadCliConfig(globals, { quiet: true, cached: true });
  await startLogging(globals, { file: true, stderrLevel: "error" });
  const log = logger("hook");
  const paths = new Map(config.repositories.map((repo) => [repo.name, repo.path]));
  const relay = new OutboxRelay(
    new Outbox(outboxPath(config)),
    await createPublisher(config),
    log,
    undefined,
    config.hostname,
    {
      runner: new DenoGitRunner({ parallelism: 2 }),
      pathOf: (name) => paths.get(name) ?? null,
      alive: processAlive,
      now: Date.now,
    },
  );
  // Past the landing limit every entry is settled; the margin is for publishing them.
  await relay.drain(LANDING_LIMIT_MS + 60_000, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
}
