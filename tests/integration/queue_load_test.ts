/**
 * Load through the real queue: a thousand push events across fifty repositories, each naming a real commit
 * that reached its origin. Every clone ends at its latest push, the queue drains, a repository is never
 * fetched twice at once, and the resident memory is recorded before, during and after.
 */

import assert from "node:assert/strict";
import { gitWorkspace, runGit } from "../helpers/git_fixture.ts";
import { awsClients, startEmulatorProcess } from "../helpers/emulators.ts";
import { waitFor } from "../helpers/cli.ts";
import {
  createQueue,
  messagesLeft,
  pushEventBody,
  sendBodies,
  startDaemon,
} from "../helpers/daemon_harness.ts";

const REPOSITORY_COUNT = 50;
const ROUNDS = 2;
const PUSHES_PER_ROUND = 10;

Deno.test("a thousand push events across fifty repositories all apply, one fetch per repository at a time", async () => {
  const repositories = Array.from({ length: REPOSITORY_COUNT }, (_, i) => `load/repo${i}`);
  await using ws = await gitWorkspace({ machines: ["b"], repositories });
  await using emulators = await startEmulatorProcess();
  using aws = awsClients(emulators);
  const b = ws.machine("b");
  const url = await createQueue(aws.sqs, "b.fifo");
  await using running = await startDaemon({ machine: b, repositories, sqs: aws.sqs });
  await waitFor(
    "the daemon watching",
    () => Promise.resolve(running.lines().some((l) => l.startsWith("Watching"))),
  );

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(Deno.memoryUsage().rss), 250);
  const afterRound = [memory()];
  const started = performance.now();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const pushed = new Map<string, string[]>();
      for (const repo of repositories) {
        pushed.set(repo, await pushCommits(ws.originPath(repo), PUSHES_PER_ROUND));
      }
      // Interleaved across repositories, in push order within each, as hooks on many machines would publish.
      const bodies = Array.from({ length: PUSHES_PER_ROUND }, (_, i) =>
        repositories.map((repo) => ({
          body: pushEventBody(repo, [{ ref: "refs/heads/main", sha: pushed.get(repo)![i]! }]),
          group: repo,
        }))).flat();
      await sendBodies(aws.sqs, url, bodies);
      // The store shows each clone's head without a git process per repository per check.
      await waitFor(
        `every clone at its latest push of round ${round + 1}`,
        async () => {
          const heads = new Map((await running.store.listRepositories("b")).map((r) => [r.name, r.head]));
          return repositories.every((repo) => heads.get(repo) === pushed.get(repo)!.at(-1)) || undefined;
        },
        60_000,
        250,
      );
      for (const repo of repositories) assert.equal(await b.head(repo), pushed.get(repo)!.at(-1), repo);
      await waitFor(
        "an empty queue",
        async () => (await messagesLeft(aws.sqs, url)) === 0 || undefined,
        10_000,
      );
      afterRound.push(memory());
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${REPOSITORY_COUNT * PUSHES_PER_ROUND * ROUNDS} events applied in ${seconds} s with ` +
      `${running.runner.fetches} fetches and ${running.runner.runs} git processes; before and after each ` +
      `round RSS ${afterRound.map((m) => mb(m.rss)).join(" / ")} MB, heap ` +
      `${afterRound.map((m) => mb(m.heapUsed)).join(" / ")} MB; RSS at most ${mb(Math.max(...rss))} MB`,
  );
  assert.equal(running.runner.maxFetchesPerRepository, 1, "two fetches of one repository overlapped");
  const growth = Math.max(...rss, ...afterRound.map((m) => m.rss)) - afterRound[0]!.rss;
  assert.ok(growth < 300 * 1024 * 1024, `resident memory grew by ${mb(growth)} MB`);
});

/** After a collection when the runtime offers one (`--v8-flags=--expose-gc`): a leak shows in the heap. */
function memory(): Deno.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return Deno.memoryUsage();
}

/** Commits straight into the bare origin with one `git fast-import`; returns the new shas, oldest first. */
async function pushCommits(origin: string, count: number): Promise<string[]> {
  const env = { PATH: Deno.env.get("PATH") ?? "", GIT_CONFIG_NOSYSTEM: "1", HOME: origin };
  const base = await runGit(["rev-parse", "refs/heads/main"], origin, env);
  let stream = "";
  for (let i = 1; i <= count; i++) {
    const content = `${i}\n`;
    const message = `push ${i}\n`;
    stream += `commit refs/heads/main\ncommitter load <load@example.test> ${1_700_000_000 + i} +0000\n` +
      `data ${message.length}\n${message}${i === 1 ? `from ${base}\n` : ""}` +
      `M 100644 inline count.txt\ndata ${content.length}\n${content}\n`;
  }
  await runGit(["fast-import", "--quiet"], origin, env, stream);
  return (await runGit(["rev-list", "--reverse", `${base}..refs/heads/main`], origin, env)).split("\n");
}
