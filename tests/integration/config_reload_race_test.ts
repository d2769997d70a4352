/**
 * A repository removed from the config while a step of it runs: the step may still write its record, so the
 * record is removed only once that step has ended. Real repositories, an in-memory store, and a git command
 * held back until the removal has begun.
 */

import assert from "node:assert/strict";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { daemonConfig } from "../helpers/local_daemon.ts";
import { Daemon } from "../../src/daemon/daemon.ts";
import { systemClock } from "../../src/util/clock.ts";
import { DenoGitRunner, gitEnvironment, type GitResult, type GitRunner } from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";

/** Holds every git command in `folder` that has `arg` until released; `entered` resolves at the first. */
function holding(inner: GitRunner, folder: string, arg: string) {
  const entered = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const runner: GitRunner = {
    async run(args, options): Promise<GitResult> {
      if (options.cwd === folder && args.includes(arg)) {
        entered.resolve();
        await release.promise;
      }
      return inner.run(args, options);
    },
  };
  return { runner, entered: entered.promise, release: () => release.resolve() };
}

/** A daemon on `names` without a queue, whose git commands in `held` that have `arg` wait for release. */
function heldDaemon(machine: Machine, names: string[], held: string, arg: string) {
  const store = new MemoryStore();
  const real = new DenoGitRunner({ env: gitEnvironment((name) => machine.env[name]) });
  const hold = holding(real, machine.repoPath(held), arg);
  const config = daemonConfig(machine, names);
  const daemon = new Daemon({
    config: { ...config, aws: { ...config.aws, sqs: {} } },
    runner: hold.runner,
    store,
    clock: systemClock,
    log: logger("test"),
    version: "test",
  });
  return { daemon, store, held: hold };
}

async function storedNames(store: MemoryStore, host: string): Promise<string[]> {
  return (await store.listRepositories(host)).map((r) => r.name).sort();
}

Deno.test("a repository removed while its state is being read leaves no record once the read ends", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "repo2"] });
  const a = ws.machine("a");
  // The read of the state: the step holding it writes the record after the removal began.
  const { daemon, store, held } = heldDaemon(a, ["repo1", "repo2"], "repo2", "--show-stash");
  const running = daemon.run();
  try {
    await held.entered;
    await waitFor("repo1 in the store", async () => (await storedNames(store, "a")).includes("repo1"));
    const removal = daemon.removeRepositories(["repo2"]);
    assert.equal(daemon.monitor.config("repo2"), undefined, "push events for it are skipped from now on");
    held.release();
    await removal;
    assert.deepEqual(await storedNames(store, "a"), ["repo1"]);
    await daemon.fullUpdate();
    assert.deepEqual(await storedNames(store, "a"), ["repo1"]);
  } finally {
    held.release();
    daemon.stop();
    await running;
  }
});

Deno.test("a repository added during the start's full update is updated and written", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "repo2"] });
  const a = ws.machine("a");
  const { daemon, store, held } = heldDaemon(a, ["repo1"], "repo1", "fetch");
  const running = daemon.run();
  try {
    await held.entered;
    await daemon.addRepositories([{ name: "repo2", path: a.repoPath("repo2"), autoPull: true }]);
    await waitFor("repo2 in the store", async () => (await storedNames(store, "a")).includes("repo2"));
    held.release();
    await waitFor("both in the store", async () => (await storedNames(store, "a")).length === 2);
    assert.equal((await store.listRepositories("a")).find((r) => r.name === "repo2")?.state, "UP_TO_DATE");
  } finally {
    held.release();
    daemon.stop();
    await running;
  }
});
