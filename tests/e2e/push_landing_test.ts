/**
 * Issue: a push costs the pusher nothing noticeable. With no daemon on the pushing machine the hook only
 * writes its event and a one-shot publisher started in the background announces it once the push landed; a
 * push the remote rejected is never announced.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";

async function outboxEntries(home: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(home, ".gitargus", "outbox"))) {
      if (entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

Deno.test("without a daemon on A, a rejected push is never announced and the next push is, once", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  await f.ok("a", ["hooks", "install"]);
  const daemonB = await f.start("b");
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);

  const receiveHook = join(f.ws.originPath("repo1"), "hooks", "pre-receive");
  await Deno.writeTextFile(receiveHook, "#!/bin/sh\necho 'refused by the test' >&2\nexit 1\n", {
    mode: 0o755,
  });
  const refused = await a.commitFile("repo1", "refused.txt", "1\n", "refused by the remote");
  const rejected = await f.gitPush("a", "repo1");
  assert.notEqual(rejected.code, 0, "the remote's hook should have rejected the push");
  // The publisher sees git end without the remote-tracking ref moving, and drops the event.
  await waitFor("A's outbox empty", async () => (await outboxEntries(a.home)).length === 0, 20_000);

  await Deno.remove(receiveHook);
  const landed = await a.commitFile("repo1", "landed.txt", "2\n", "taken by the remote");
  const push = await f.gitPush("a", "repo1");
  assert.equal(push.code, 0, push.stderr);
  assert.doesNotMatch(push.stderr, /not announced/);
  await waitFor(
    "b at the landed push",
    async () => (await f.machine("b").head("repo1")) === landed || undefined,
  );
  await waitFor("A's outbox empty", async () => (await outboxEntries(a.home)).length === 0);

  const announced = daemonB.output().match(/Push of repo1 from a: [^\n]*/g) ?? [];
  assert.equal(announced.length, 1, `B was told of ${announced.length} pushes:\n${announced.join("\n")}`);
  assert.match(announced[0]!, new RegExp(landed.slice(0, 7)));
  assert.doesNotMatch(daemonB.output(), new RegExp(refused.slice(0, 7)));
  // Announced after landing, so B's first fetch found the commit: no wait for it to reach the remote.
  assert.doesNotMatch(daemonB.output(), /are not on the remote/);
});
