import assert from "node:assert/strict";
import { join } from "node:path";
import { AlreadyRunningError } from "../errors.ts";
import { isLockHeld } from "../util/file_lock.ts";
import { acquireInstanceLock, instanceLockPath, type LockOwner, readOwner } from "./instance_lock.ts";

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-lock-" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

function owner(config: string, command = "gitargus run"): LockOwner {
  return { pid: 4242, startedAt: "2026-11-23T20:40:54.994Z", command, terminal: true, config };
}

Deno.test("acquireInstanceLock() refuses a second holder, naming the first one's pid, start and command", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "locks", "daemon.lock");
  await using _first = await acquireInstanceLock(path, owner("/c.yml"));
  const refused = await acquireInstanceLock(path, owner("/c.yml", "gitargus run --once")).then(
    () => assert.fail("the second holder got the lock"),
    (error: unknown) => error,
  );
  assert.ok(refused instanceof AlreadyRunningError);
  assert.equal(refused.exitCode, 1);
  assert.equal(
    refused.message,
    'Another daemon already runs with config "/c.yml": pid 4242, started 2026-11-23T20:40:54Z as ' +
      '"gitargus run" from a terminal; stop it first',
  );
});

Deno.test("acquireInstanceLock() succeeds again once the holder released the lock, whatever the file says", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "daemon.lock");
  const first = await acquireInstanceLock(path, owner("/c.yml"));
  assert.equal(await isLockHeld(path), true);
  first.release();
  assert.equal(await isLockHeld(path), false);
  assert.equal((await readOwner(path))?.pid, 4242, "the stale content stays and does not matter");
  await using second = await acquireInstanceLock(path, { ...owner("/c.yml"), pid: 7 });
  assert.equal((await readOwner(second.path))?.pid, 7);
});

Deno.test("isLockHeld() is false for a lock file that does not exist", async () => {
  await using dir = await tempDir();
  assert.equal(await isLockHeld(join(dir.path, "nothing.lock")), false);
});

Deno.test("instanceLockPath() is one path for a config reached through a symlink and another for another config", async () => {
  await using dir = await tempDir();
  const config = join(dir.path, "config.yml");
  await Deno.writeTextFile(config, "root: ~/\n");
  await Deno.symlink(config, join(dir.path, "link.yml"));
  const home = join(dir.path, "home");
  const direct = await instanceLockPath(home, config);
  assert.equal(await instanceLockPath(home, join(dir.path, "link.yml")), direct);
  assert.notEqual(await instanceLockPath(home, join(dir.path, "other.yml")), direct);
  assert.ok(direct.startsWith(join(home, ".gitargus", "locks")));
});
