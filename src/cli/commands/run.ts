import type { GlobalOptions } from "../context.ts";
import {
  env,
  instanceLockFile,
  loadCliConfig,
  localStateFile,
  outboxPath,
  startLogging,
} from "../context.ts";
import { LocalStateWriter } from "../../presence/local_state.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { createPublisher, createStore, createSubscriber } from "../../aws/services.ts";
import { Daemon } from "../../daemon/daemon.ts";
import { launchMode } from "../../daemon/host_beat.ts";
import { acquireInstanceLock } from "../../daemon/instance_lock.ts";
import { type RepoMonitor } from "../../daemon/monitor.ts";
import { systemClock } from "../../util/clock.ts";
import { FsWatcher } from "../../daemon/watcher.ts";
import { Outbox } from "../../events/outbox.ts";
import { logger } from "../../log/logger.ts";
import { traceAws, traceGit } from "../../log/trace.ts";
import { observeAwsCalls } from "../../aws/deadline.ts";
import { VERSION } from "../../version.ts";
import { GitargusError, RepositoriesFailedError, systemReason } from "../../errors.ts";
import { installHooks } from "./hooks.ts";
import { type ConfigFollower, followConfig } from "../../daemon/config_reload.ts";

export async function runCommand(
  globals: GlobalOptions,
  options: { once?: boolean; hooks?: boolean },
): Promise<void> {
  const config = await loadCliConfig(globals);
  // Before anything is written: a refused second daemon must leave the store, hooks and log untouched.
  const lockFile = await instanceLockFile(config);
  await using _lock = await acquireInstanceLock(lockFile, {
    pid: Deno.pid,
    startedAt: new Date().toISOString(),
    command: `gitargus run${options.once ? " --once" : ""}`,
    terminal: Deno.stdin.isTerminal(),
    config: config.file,
  }).catch((error) => {
    if (error instanceof GitargusError) throw error;
    // A HOME nobody may write to (a read-only home, a service user without one) is the user's to fix.
    throw new GitargusError(`Cannot take the daemon's lock "${lockFile}": ${systemReason(error)}`, {
      cause: error,
    });
  });
  await startLogging(globals, { file: true });
  const log = logger("daemon");
  const runner = new DenoGitRunner({
    parallelism: config.daemon.parallelism,
    ...(globals.verbose ? { observe: traceGit(logger("git")) } : {}),
  });
  if (globals.verbose) observeAwsCalls(traceAws(logger("aws")));
  // Not awaited before the daemon starts: its queue is read from the start, and a thousand repositories'
  // hooks must not keep pushes waiting. Each repository's hook is checked in parallel meanwhile.
  const hooksInstalled = options.hooks === false
    ? Promise.resolve()
    : installHooks(config, runner, log).catch(
      (error) => log.warn("Cannot install the hooks: {error}", { error: (error as Error).message }),
    );
  const daemon = new Daemon({
    config,
    runner,
    store: await createStore(config),
    clock: systemClock,
    log,
    version: VERSION,
    mode: launchMode(env),
    outbox: new Outbox(outboxPath(config)),
    localState: new LocalStateWriter(
      localStateFile(config),
      { hostname: config.hostname, config: config.file },
      (error) => log.warn("Cannot keep this host's states for `leave --local`: {error}", { error }),
    ),
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
  let follower: ConfigFollower | null = null;
  const hangup = () => {
    log.info("Reloading the config (SIGHUP)");
    void follower?.reload();
  };
  try {
    if (options.once) {
      await daemon.once();
      throwIfFailed(daemon.monitor);
    } else {
      follower = await followConfig({
        config,
        load: () => loadCliConfig(globals, { quiet: true }),
        target: daemon,
        installHooks: (repositories) =>
          options.hooks === false
            ? Promise.resolve()
            : installHooks({ ...config, repositories }, runner, log),
        log,
      });
      Deno.addSignalListener("SIGHUP", hangup);
      await daemon.run();
    }
  } finally {
    await hooksInstalled;
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    if (follower) Deno.removeSignalListener("SIGHUP", hangup);
    await follower?.close();
  }
}

/** `run --once` exits 1 when a repository ended FAILED; a MISSING one (not cloned here) warns only. */
function throwIfFailed(monitor: RepoMonitor): void {
  const failed = monitor.names().filter((name) => monitor.status(name)?.state === "FAILED");
  if (failed.length > 0) throw new RepositoriesFailedError(failed);
  // A cron run that recorded nothing must not look like one that did: no other machine sees its states.
  if (monitor.hasUnwritten()) {
    throw new GitargusError(
      "The store did not take this run's repository states (the warnings above say why); the next run " +
        "writes them",
    );
  }
}
