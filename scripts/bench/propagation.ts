/**
 * Push propagation: from `git push` returning on machine A until machine B's HEAD is the pushed commit, on
 * loopback emulators; and the hook's cost: `git push` with and without the hook, alternating in one run.
 */

import { join } from "node:path";
import { fleet } from "../../tests/helpers/fleet.ts";
import { median, percentile } from "./stats.ts";

export interface HookCost {
  withHook: number;
  withoutHook: number;
}

export interface PropagationFigures {
  pushes: number;
  propagation: { min: number; median: number; p95: number; max: number };
  /** A's daemon runs: the hook hands the event to it. */
  relayed: HookCost;
  /** No daemon on A: the hook publishes to SNS itself. */
  direct: HookCost;
}

export async function benchPropagation(pushes: number): Promise<PropagationFigures> {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const b = f.machine("b");
  await f.ok("a", ["hooks", "install"]);
  const daemon = await f.start("b");
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

  const relayed = await hookCost(f, pushes);
  await daemonA.stop();
  const direct = await hookCost(f, pushes);
  await daemon.stop();
  const sorted = [...propagation].sort((x, y) => x - y);
  return {
    pushes,
    propagation: {
      min: sorted[0]!,
      median: median(propagation),
      p95: percentile(propagation, 95),
      max: sorted[sorted.length - 1]!,
    },
    relayed,
    direct,
  };
}

/** `git push` on A, alternating with and without the hook so both see the same machine. */
async function hookCost(f: Awaited<ReturnType<typeof fleet>>, pushes: number): Promise<HookCost> {
  const a = f.machine("a");
  const hook = join(a.repoPath("repo1"), ".git", "hooks", "pre-push");
  const parked = `${hook}.bench-parked`;
  const withHook: number[] = [];
  const withoutHook: number[] = [];
  for (let i = 0; i < pushes; i++) {
    await a.commitFile("repo1", "cost.txt", `with ${i} ${performance.now()}\n`, `with hook ${i}`);
    withHook.push((await f.gitPush("a", "repo1")).ms);
    await Deno.rename(hook, parked);
    await a.commitFile("repo1", "cost.txt", `without ${i} ${performance.now()}\n`, `without hook ${i}`);
    withoutHook.push((await f.gitPush("a", "repo1")).ms);
    await Deno.rename(parked, hook);
  }
  return { withHook: median(withHook), withoutHook: median(withoutHook) };
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
