import assert from "node:assert/strict";
import { join } from "../util/path.ts";
import { rememberOwnWrite, userJustActed } from "./user_activity.ts";
import type { RepoLocation } from "../git/repo.ts";

async function gitDir(): Promise<{ location: RepoLocation; index: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-activity-" });
  const location = { name: "r", path: dir, gitDir: join(dir, ".git"), commonDir: join(dir, ".git") };
  await Deno.mkdir(location.gitDir);
  const index = join(location.gitDir, "index");
  await Deno.writeTextFile(index, "x");
  return { location, index, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("userJustActed() sees a fresh write, not an old one, nor this process's own", async () => {
  await using fx = await gitDir();
  assert.equal(await userJustActed(fx.location, 60_000), true);
  assert.equal(await userJustActed(fx.location, 0), false);
  await rememberOwnWrite(fx.location);
  assert.equal(await userJustActed(fx.location, 60_000), false);
  await Deno.writeTextFile(fx.index, "written by the user");
  assert.equal(await userJustActed(fx.location, 60_000), true);
  const hourAgo = new Date(Date.now() - 3_600_000);
  await Deno.utime(fx.index, hourAgo, hourAgo);
  assert.equal(await userJustActed(fx.location, 60_000), false);
});

Deno.test("userJustActed() takes a file dated well ahead of now for a clock set back, not for activity", async () => {
  await using fx = await gitDir();
  const ahead = new Date(Date.now() + 3_600_000);
  await Deno.utime(fx.index, ahead, ahead);
  assert.equal(await userJustActed(fx.location, 500), false);
});
