/**
 * The daemon in the test's own process, on a simulated machine's repositories: its real git runner and
 * clock, with the store and the watcher a test chooses. Queue tests add a subscriber (daemon_harness.ts).
 */

import { join } from "node:path";
import type { Machine } from "./git_fixture.ts";
import { Daemon, type DaemonDeps } from "../../src/daemon/daemon.ts";
import { systemClock } from "../../src/util/clock.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";
import type { Config } from "../../src/config/types.ts";

export function daemonConfig(machine: Machine, names: readonly string[]): Config {
  return {
    file: join(machine.home, ".gitargus", "config.yml"),
    hostname: machine.name,
    root: machine.workspace,
    repositories: names.map((name) => ({ name, path: machine.repoPath(name), autoPull: true })),
    autoPull: true,
    aws: { dynamodb: { table: "t" }, sqs: { queue: `${machine.name}.fifo` }, sns: { topic: {} } },
    daemon: { reconcileMinutes: 60, heartbeatSeconds: 60, fetchTimeoutSeconds: 10, parallelism: 4 },
    notices: [],
  };
}

export function localDaemon(
  machine: Machine,
  names: readonly string[],
  options: Partial<Pick<DaemonDeps, "createWatcher" | "pollFallbackMs">> & { store?: MemoryStore } = {},
): { daemon: Daemon; store: MemoryStore } {
  const store = options.store ?? new MemoryStore();
  const daemon = new Daemon({
    config: daemonConfig(machine, names),
    runner: new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) }),
    store,
    clock: systemClock,
    log: logger("test"),
    version: "test",
    ...(options.createWatcher ? { createWatcher: options.createWatcher } : {}),
    ...(options.pollFallbackMs !== undefined ? { pollFallbackMs: options.pollFallbackMs } : {}),
  });
  return { daemon, store };
}
