/**
 * The autoPull policy end to end: a push event for three branches reaches b's daemon through its real SQS
 * FIFO queue; b's policy names main and release/*, so main and release/2 move and topic stays, and the state
 * the daemon stores says the policy held topic.
 */

import assert from "node:assert/strict";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { pushEventBody, receivingMachine, sendBodies } from "../helpers/daemon_harness.ts";
import { repoNotes } from "../../src/report/status_report.ts";

const REPO = "repo1";
const OTHERS = ["topic", "release/2"];

Deno.test('a push event moves only the branches b\'s autoPull [main, "release/*"] names', async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: [REPO] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  for (const branch of OTHERS) await a.git(REPO, "branch", branch);
  await a.push(REPO, "origin", ...OTHERS);
  await b.git(REPO, "fetch", "--quiet");
  for (const branch of OTHERS) await b.git(REPO, "branch", "--quiet", "--track", branch, `origin/${branch}`);
  const topicBefore = await b.git(REPO, "rev-parse", "refs/heads/topic");

  await using receiving = await receivingMachine(b, ws.repositories, { autoPull: ["main", "release/*"] });
  const { aws, url, running } = receiving;

  const refs: Array<{ ref: string; sha: string }> = [];
  for (const branch of ["main", ...OTHERS]) {
    await a.git(REPO, "checkout", "--quiet", branch);
    refs.push({ ref: `refs/heads/${branch}`, sha: await a.commitFile(REPO, `${branch}.txt`, "1\n", branch) });
  }
  await a.git(REPO, "checkout", "--quiet", "main");
  await a.push(REPO, "origin", "main", ...OTHERS);
  await sendBodies(aws.sqs, url, [{ body: pushEventBody(REPO, refs), group: REPO }]);

  const [main, release] = [refs[0]!.sha, refs[2]!.sha];
  await waitFor(
    "b's main and release/2 at the push",
    async () =>
      (await b.head(REPO)) === main && (await b.git(REPO, "rev-parse", "refs/heads/release/2")) === release ||
      undefined,
    15_000,
  );
  const stored = await waitFor("b's state naming the branch the policy held", async () => {
    const [status] = await running.store.listRepositories("b");
    return status?.head === main && status.sync?.policyHeld ? status : undefined;
  }, 10_000);

  assert.equal(await b.git(REPO, "rev-parse", "refs/heads/topic"), topicBefore, "topic is left alone");
  assert.equal(stored.sync?.result, "fast-forwarded");
  assert.deepEqual(stored.sync?.policyHeld, ["topic"]);
  assert.match(stored.sync?.reason ?? "", /policy: autoPull is \[main, release\/\*\] \(not moved: topic\)/);
  assert.deepEqual(repoNotes(stored), ["policy: topic behind"]);
});
