/**
 * A move git stops partway is put back, or else reported as FAILED and held until the user has dealt with it.
 * The partial states are real: a required smudge filter that fails, a directory nobody may write, a name the
 * file system refuses.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readBytes, REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";
import { HALT_MARKER } from "../../src/sync/halt.ts";
import { readRepoStatus } from "../../src/git/repo.ts";
import { pathExists } from "../../src/util/fs.ts";

/** b has a.txt and d/x under `d/* filter=x`; a then changes both. Returns the commit b starts from. */
async function filteredFiles(fx: SyncFixture): Promise<string> {
  await fx.a.commitFile(REPO, ".gitattributes", "d/* filter=x\n", "attributes");
  await fx.a.commitFile(REPO, "a.txt", "1\n", "a 1");
  await fx.a.commitFile(REPO, "d/x", "1\n", "x 1");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q", "--ff-only");
  const start = await fx.b.head(REPO);
  await fx.a.commitFile(REPO, "a.txt", "2\n", "a 2");
  await fx.arrive("d/x", "2\n");
  return start;
}

Deno.test("a required smudge filter that fails halfway leaves the repository FAILED and held until fixed", async () => {
  await using fx = await syncFixture();
  const start = await filteredFiles(fx);
  for (const [key, value] of [["required", "true"], ["smudge", "false"], ["clean", "cat"]] as const) {
    await fx.b.git(REPO, "config", `filter.x.${key}`, value);
  }
  const index = await fx.b.git(REPO, "ls-files", "-s");
  const result = await fx.fastForward();
  assert.equal(result.result, "failed");
  assert.equal(result.halted, true);
  assert.match(
    result.reason ?? "",
    /^fast-forward of main to [0-9a-f]{7} stopped halfway: d\/x: smudge filter x failed;/,
  );
  assert.match(
    result.reason ?? "",
    /inspect with `git status`, fix the cause, then run `git checkout -- d\/x`/,
  );
  assert.equal(await fx.b.head(REPO), start);
  assert.equal(await fx.b.git(REPO, "ls-files", "-s"), index, "the index is as it was");
  assert.equal(await readBytes(join(fx.path, "a.txt")), "1\n", "a.txt was put back");
  const marker = join(fx.location.gitDir, HALT_MARKER);
  assert.ok(await pathExists(marker));
  const status = await readRepoStatus(fx.runner, fx.location, {
    now: () => new Date(),
    lastFetch: null,
    sync: result,
  });
  assert.equal(status.state, "FAILED");
  assert.equal(status.error, result.reason);

  // Held: the next attempt moves nothing, even with the filter fixed, until the user put the file back.
  await fx.b.git(REPO, "config", "filter.x.smudge", "cat");
  const held = await fx.fastForward();
  assert.equal(held.halted, true);
  assert.equal(await fx.b.head(REPO), start);

  await fx.b.git(REPO, "checkout", "--", "d/x");
  const moved = await fx.fastForward();
  assert.equal(moved.result, "fast-forwarded", moved.reason);
  assert.equal(await fx.b.head(REPO), await fx.ws.originHead(REPO));
  assert.equal(await readBytes(join(fx.path, "d/x")), "2\n");
  assert.equal(await pathExists(marker), false, "the marker is gone once the user dealt with it");
});

Deno.test("a required filter whose command is missing refuses the move before touching anything", async () => {
  await using fx = await syncFixture();
  await filteredFiles(fx);
  await fx.b.git(REPO, "config", "filter.x.required", "true");
  await fx.b.git(REPO, "config", "filter.x.smudge", "no-such-filter-command --smudge");
  await fx.b.git(REPO, "config", "filter.x.clean", "cat");
  const unchanged = await fx.untouched("a.txt", "d/x");
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked");
  assert.equal(
    result.reason,
    'd/x needs the required filter "x", whose command "no-such-filter-command" is not found',
  );
  await unchanged();
});

/** A directory no one may write to: permissions, or for root the immutable attribute. */
async function readOnly(dir: string): Promise<(() => Promise<void>) | null> {
  if (Deno.uid() !== 0) {
    await Deno.chmod(dir, 0o555);
    return () => Deno.chmod(dir, 0o755);
  }
  const chattr = (flag: string) => new Deno.Command("chattr", { args: [flag, dir], stderr: "null" }).output();
  const set = await chattr("+i").catch(() => null);
  return set?.code === 0 ? async () => void await chattr("-i") : null;
}

Deno.test("a move git stops at a read-only directory is undone and changes nothing", async () => {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, "ro/keep", "1\n", "ro");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "pull", "-q", "--ff-only");
  await fx.a.commitFile(REPO, "a.txt", "new\n", "a");
  await fx.arrive("ro/y", "new\n");
  const unlock = await readOnly(join(fx.path, "ro"));
  if (!unlock) return console.log("no way to make a read-only directory here; skipped");
  try {
    const unchanged = await fx.untouched("a.txt", "ro/y", "ro/keep");
    const result = await fx.fastForward();
    assert.equal(result.result, "failed");
    assert.match(result.reason ?? "", /^fast-forward of main to [0-9a-f]{7} was undone: .*ro\/y/);
    assert.equal(result.halted, undefined);
    await unchanged();
    assert.equal(await pathExists(join(fx.location.gitDir, HALT_MARKER)), false);
  } finally {
    await unlock();
  }
  assert.equal((await fx.fastForward()).result, "fast-forwarded", "moves once the directory is writable");
});

Deno.test("a move git stops at a name the file system refuses is undone and changes nothing", async () => {
  await using fx = await syncFixture();
  const long = `${"n".repeat(300)}.txt`;
  await fx.a.commitFile(REPO, "a.txt", "new\n", "a");
  // Written straight into a's index: a's own file system cannot hold the name either.
  const blob = await fx.a.git(REPO, "hash-object", "-w", "README.md");
  await fx.a.git(REPO, "update-index", "--add", "--cacheinfo", `100644,${blob},${long}`);
  await fx.a.git(REPO, "commit", "-qm", "long name");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "-q");
  const unchanged = await fx.untouched("a.txt", "README.md");
  const result = await fx.fastForward();
  assert.equal(result.result, "failed");
  assert.match(result.reason ?? "", /was undone: .*(too long|File name)/i);
  await unchanged();
});

for (const present of [true, false]) {
  Deno.test(`ORIG_HEAD is left as the user had it (${present ? "present" : "absent"}) by a fast-forward`, async () => {
    await using fx = await syncFixture();
    const origHead = join(fx.location.gitDir, "ORIG_HEAD");
    const arrived = await fx.arrive();
    // Anything but the HEAD before the move, which is what a merge would write there.
    if (present) await fx.b.git(REPO, "update-ref", "--no-deref", "ORIG_HEAD", arrived);
    else await Deno.remove(origHead).catch(() => {});
    const before = await readBytes(origHead);
    assert.equal((await fx.fastForward()).result, "fast-forwarded");
    assert.equal(await readBytes(origHead), before);
  });
}
