/**
 * Push propagation: from `git push` returning on machine A until machine B's HEAD is the pushed commit, on
 * loopback emulators; and the same across a restart of B's daemon as a service manager does it (SIGTERM,
 * the new one started as soon as the old one exited), with the push at fixed delays after the restart.
 */

import { join } from "node:path";
import { fleet } from "../../tests/helpers/fleet.ts";
import { median, percentile, sleep } from "./stats.ts";

export interface RestartCase {
  /** When A pushed, after the old daemon of B exited and the new one was started (ms). */
  delayMs: number;
  /** From the restart until the new daemon said it watches (its start-up full update done), ms. */
  readyMs: number;
  /** From the restart until B's HEAD was the pushed commit, ms. */
  appliedMs: number;
  /** How long after both the push and the new daemon's start-up the push was applied (target <= 1 s). */
  lateMs: number;
}

export interface PropagationFigures {
  pushes: number;
  propagation: { min: number; median: number; p95: number; max: number };
  restarts: RestartCase[];
}

export const RESTART_DELAYS_MS = [0, 500, 1000, 2000, 5000];

export async function benchPropagation(pushes: number): Promise<PropagationFigures> {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const b = f.machine("b");
  await f.ok("a", ["hooks", "install"]);
  let daemon = await f.start("b");
  const daemonA = await f.start("a");
  await daemon.waitForLine(/Watching 1 repositories/, 60_000);
  await daemonA.waitForLine(/Watching 1 repositories/, 60_000);

  const propagation: number[] = [];
  for (let i = 0; i < pushes; i++) {
    const sha = await a.commitFile("repo1", "bench.txt", `push ${i}\n`, `push ${i}`);
    const push = await f.gitPush("a", "repo1");
    if (push.code !== 0) throw new Error(`push ${i} failed: ${push.stderr}`);
    const pushed = performance.now();
    await untilHead(b.repoPath("repo1"), sha, 30_000);
    propagation.push(performance.now() - pushed);
  }

  const restarts: RestartCase[] = [];
  for (const delayMs of RESTART_DELAYS_MS) {
    const sha = await a.commitFile("repo1", "restart.txt", `after ${delayMs}\n`, `restart ${delayMs}`);
    await daemon.stop("SIGTERM");
    const restarted = performance.now();
    daemon = await f.start("b");
    const ready = daemon.waitForLine(/Watching 1 repositories/, 60_000).then(() => performance.now());
    await sleep(delayMs);
    const push = await f.gitPush("a", "repo1");
    if (push.code !== 0) throw new Error(`push after a restart failed: ${push.stderr}`);
    const pushed = performance.now();
    await untilHead(b.repoPath("repo1"), sha, 90_000);
    const applied = performance.now();
    const readyAt = await ready;
    restarts.push({
      delayMs,
      readyMs: readyAt - restarted,
      appliedMs: applied - restarted,
      lateMs: applied - Math.max(readyAt, pushed),
    });
  }
  await daemon.stop();
  await daemonA.stop();
  const sorted = [...propagation].sort((x, y) => x - y);
  return {
    pushes,
    propagation: {
      min: sorted[0]!,
      median: median(propagation),
      p95: percentile(propagation, 95),
      max: sorted[sorted.length - 1]!,
    },
    restarts,
  };
}

/** Reads HEAD's commit straight from the files git keeps, so polling costs no process. */
async function untilHead(repo: string, sha: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await headSha(repo) === sha) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`HEAD of ${repo} did not reach ${sha} within ${timeoutMs} ms`);
}

async function headSha(repo: string): Promise<string | null> {
  try {
    const head = (await Deno.readTextFile(join(repo, ".git", "HEAD"))).trim();
    if (!head.startsWith("ref: ")) return head;
    return (await Deno.readTextFile(join(repo, ".git", head.slice(5)))).trim();
  } catch {
    return null;
  }
}
