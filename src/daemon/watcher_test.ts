import assert from "node:assert/strict";
import { join } from "node:path";
import { FsWatcher } from "./watcher.ts";

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("FsWatcher reports an index.lock deleted outright, and no other lock file coming or going", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-watch-" });
  const seen: string[] = [];
  const watcher = new FsWatcher({ onChange: (_key, path) => seen.push(path), onFailure: () => {} });
  try {
    watcher.watch("repo", [dir]);
    await watcher.ready();
    await Deno.writeTextFile(join(dir, "index.lock"), "");
    await Deno.writeTextFile(join(dir, "HEAD.lock"), "");
    await Deno.remove(join(dir, "HEAD.lock"));
    await Deno.remove(join(dir, "index.lock"));
    await until("the index.lock removal", () => seen.length > 0);
    // A marker file after the lock events: once it is seen, every earlier event was delivered too.
    await Deno.writeTextFile(join(dir, "marker"), "");
    await until("the marker", () => seen.some((p) => p.endsWith("marker")));
    assert.deepEqual([...new Set(seen)], [join(dir, "index.lock"), join(dir, "marker")]);
  } finally {
    watcher.close();
    await Deno.remove(dir, { recursive: true });
  }
});
