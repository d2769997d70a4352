/**
 * What the pre-push hook adds to `git push`, from source as the installed hook runs it: pushes with and
 * without the hook alternate in one run, with A's daemon running (it relays the event) and with none (the
 * hook leaves the event to a one-shot publisher it starts in the background). Every event must still go
 * out: the figures include how many were left unpublished.
 */

import { join } from "node:path";
import { fleet } from "../../tests/helpers/fleet.ts";
import { median, sleep } from "./stats.ts";

export interface HookCost {
  withHook: number;
  withoutHook: number;
  /** Outbox entries not published 30 s after the last push (target 0). */
  left: number;
}

export interface HookFigures {
  /** A's daemon runs: the hook hands the event to it. */
  relayed: HookCost;
  /** No daemon on A: a one-shot publisher announces it. */
  direct: HookCost;
}

export async function benchHookCost(pushes: number): Promise<HookFigures> {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  await f.ok("a", ["hooks", "install"]);
  const daemon = await f.start("a");
  await daemon.waitForLine(/Watching 1 repositories/, 60_000);
  const relayed = await hookCost(f, pushes);
  await daemon.stop();
  const direct = await hookCost(f, pushes);
  return { relayed, direct };
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
    withHook.push(await pushMs(f));
    await Deno.rename(hook, parked);
    await a.commitFile("repo1", "cost.txt", `without ${i} ${performance.now()}\n`, `without hook ${i}`);
    withoutHook.push(await pushMs(f));
    await Deno.rename(parked, hook);
  }
  return { withHook: median(withHook), withoutHook: median(withoutHook), left: await drained(a.home) };
}

async function pushMs(f: Awaited<ReturnType<typeof fleet>>): Promise<number> {
  const push = await f.gitPush("a", "repo1");
  if (push.code !== 0) throw new Error(`push failed: ${push.stderr}`);
  return push.ms;
}

/** Entries still in A's outbox once it had 30 s to empty. */
async function drained(home: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  let left = 0;
  do {
    left = 0;
    for await (const entry of Deno.readDir(join(home, ".gitargus", "outbox"))) {
      if (entry.name.endsWith(".json")) left++;
    }
    if (left > 0) await sleep(100);
  } while (left > 0 && Date.now() < deadline);
  return left;
}
