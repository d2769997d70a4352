/** The daemon's wiring, on real repositories with an in-memory store (the store's own behaviour is tested on the emulator). */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { localDaemon } from "../helpers/local_daemon.ts";
import type { Watcher, WatcherEvents } from "../../src/daemon/watcher.ts";

/** A watcher that refuses every watch, as inotify does once the system's limit is reached. */
class RefusingWatcher implements Watcher {
  constructor(private readonly events: WatcherEvents) {}
  watch(key: string): void {
    this.events.onFailure([key], new Error("No space left on device (os error 28)"));
  }
  watchCount(): number {
    return 0;
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {}
}

Deno.test("when watches are refused, the daemon warns and still notices changes by checking periodically", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const { daemon, store } = localDaemon(a, ["repo1"], {
    createWatcher: (events) => new RefusingWatcher(events),
    pollFallbackMs: 200,
  });
  const running = daemon.run();
  try {
    await waitFor(
      "the first state in the store",
      async () => (await store.listRepositories("a")).length === 1 || undefined,
    );
    await Deno.writeTextFile(join(a.repoPath("repo1"), "new.txt"), "x\n");
    const repo = await waitFor("the untracked file in the store", async () => {
      const [status] = await store.listRepositories("a");
      return status?.changes.untracked === 1 ? status : undefined;
    }, 10_000);
    assert.equal(repo.state, "UP_TO_DATE");
  } finally {
    daemon.stop();
    await running;
  }
  assert.ok(store.hosts.get("a")?.stoppedAt, "a clean stop is recorded");
});
