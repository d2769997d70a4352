/**
 * A daemon killed with SIGKILL while it handles another machine's push loses nothing: the receive loop
 * deletes a message once the repository's scheduler took it (so a push waiting to land never holds back the
 * repository's newer pushes in its FIFO group), and what it had not applied yet the next daemon's full
 * update at start brings, since the hook announces a push only once it landed on the remote.
 */

import assert from "node:assert/strict";
import { PublishCommand } from "@aws-sdk/client-sns";
import { fleet, recordedTopicArn } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { waitFor } from "../helpers/cli.ts";

Deno.test("a push taken by a daemon killed with SIGKILL before applying it is applied by the next daemon", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const killed = await f.start("b", ["run", "--no-hooks"]);
  await killed.waitForLine(/Watching 1 repositories/, 30_000);
  // b must not apply it before the kill: a's push is announced to b's daemon alone, with b's clone made
  // unable to move (an index lock) until the daemon is gone.
  const lock = `${f.machine("b").repoPath("repo1")}/.git/index.lock`;
  await Deno.writeTextFile(lock, "");
  const sha = await f.machine("a").commitFile("repo1", "landed.txt", "1\n", "on the origin before the event");
  await f.machine("a").push("repo1");
  using aws = awsClients(f.emulators);
  await aws.sns.send(
    new PublishCommand({
      TopicArn: await recordedTopicArn(f, "a"),
      Message: JSON.stringify({
        v: 1,
        type: "push",
        source: "a",
        repository: "repo1",
        remote: "origin",
        refs: [{ ref: "refs/heads/main", sha }],
        at: new Date().toISOString(),
      }),
      MessageGroupId: "repo1",
      MessageDeduplicationId: sha,
    }),
  );
  await killed.waitForLine(/Push of repo1 from a/, 15_000);
  assert.equal(await killed.stop("SIGKILL"), 137);
  assert.notEqual(await f.machine("b").head("repo1"), sha, "the killed daemon had not moved the clone");
  await Deno.remove(lock);

  const next = await f.start("b", ["run", "--no-hooks"]);
  await waitFor(
    "b at the pushed commit",
    async () => (await f.machine("b").head("repo1")) === sha || undefined,
  );
  await next.waitForLine(/Watching 1 repositories/, 30_000);
});
