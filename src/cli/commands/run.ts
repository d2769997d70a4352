import type { GlobalOptions } from "../context.ts";
import { instanceLockFile, loadCliConfig, outboxPath, startLogging } from "../context.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { createPublisher, createStore, createSubscriber } from "../../aws/services.ts";
import { Daemon } from "../../daemon/daemon.ts";
import { acquireInstanceLock } from "../../daemon/instance_lock.ts";
import { systemClock } from "../../daemon/monitor.ts";
import { FsWatcher } from "../../daemon/watcher.ts";
import { Outbox } from "../../events/outbox.ts";
import { logger } from "../../log/logger.ts";
import { VERSION } from "../../version.ts";
import { installHooks } from "./hooks.ts";

export async function runCommand(
  globals: GlobalOptions,
  options: { once?: boolean; hooks?: boolean },
): Promise<void> {
  const config = await loadCliConfig(globals);
  // Before anything is written: a refused second daemon must leave the store, hooks and log untouched.
  await using _lock = await acquireInstanceLock(await instanceLockFile(config), {
    pid: Deno.pid,
    startedAt: new Date().toISOString(),
    command: `gitargus run${options.once ? " --once" : ""}`,
    terminal: Deno.stdin.isTerminal(),
    config: config.file,
  });
  await startLogging(globals, { file: true });
  const log = logger("daemon");
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  if (options.hooks !== false) await installHooks(config, runner, log);
  const daemon = new Daemon({
    config,
    runner,
    store: await createStore(config),
    clock: systemClock,
    log,
    version: VERSION,
    outbox: new Outbox(outboxPath(config)),
    createWatcher: (events) => new FsWatcher(events),
    ...(config.aws.sns.topic.arn ? { publisher: await createPublisher(config) } : {}),
    ...(config.aws.sqs.queue ? { subscriber: await createSubscriber(config) } : {}),
  });
  const stop = () => {
    log.info("Stopping: finishing the work in flight");
    daemon.stop();
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    if (options.once) await daemon.once();
    else await daemon.run();
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
  }
}
