/**
 * A flood of forged push events (shas that never arrive) for several repositories must not slow a real push:
 * it is applied about as fast as without the flood. The times are printed; the only bound checked is a
 * generous deadline, far below the 30 s one forged event could once hold its repository.
 */

import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { pushEventBody, receivingMachine, sendBodies } from "../helpers/daemon_harness.ts";

const REPOSITORIES = ["repo1", "repo2", "repo3", "repo4", "repo5"];
const FORGED_PER_REPOSITORY = 10;
const ROUNDS = 3;

function forgedSha(round: number, n: number): string {
  return `${round.toString(16)}${n.toString(16).padStart(3, "0")}`.padEnd(40, "e");
}

Deno.test("a flood of forged push events does not slow a real push", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: REPOSITORIES });
  const [a, b] = [ws.machine("a"), ws.machine("b")];
  await using receiving = await receivingMachine(b, REPOSITORIES);
  const { aws, url } = receiving;

  let pushes = 0;
  async function realPushMs(): Promise<number> {
    const sha = await a.commitFile("repo1", "f.txt", `${++pushes}\n`, `real push ${pushes}`);
    await a.push("repo1");
    const started = performance.now();
    await sendBodies(aws.sqs, url, [{
      body: pushEventBody("repo1", [{ ref: "refs/heads/main", sha }]),
      group: "repo1",
    }]);
    await appliedWithin(b, sha, 10_000);
    return performance.now() - started;
  }

  const baseline: number[] = [];
  for (let round = 0; round < ROUNDS; round++) baseline.push(await realPushMs());
  const flooded: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const forged = REPOSITORIES.flatMap((repo) =>
      Array.from({ length: FORGED_PER_REPOSITORY }, (_, n) => ({
        body: pushEventBody(repo, [{ ref: "refs/heads/main", sha: forgedSha(round, n) }], {
          source: "intruder",
        }),
        group: repo,
      }))
    );
    await sendBodies(aws.sqs, url, forged);
    flooded.push(await realPushMs());
  }
  const ratio = median(flooded) / median(baseline);
  console.log(
    `real push applied in ${median(baseline).toFixed(0)} ms alone, ${median(flooded).toFixed(0)} ms after ` +
      `${REPOSITORIES.length * FORGED_PER_REPOSITORY} forged events (ratio ${ratio.toFixed(2)})`,
  );
});

function appliedWithin(b: Machine, sha: string, timeoutMs: number): Promise<true> {
  return waitFor(
    `b's repo1 at ${sha.slice(0, 7)}`,
    async () => (await b.head("repo1")) === sha || undefined,
    timeoutMs,
    20,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}
