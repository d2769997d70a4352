/**
 * What the pre-push hook adds to `git push`, from source as the installed hook runs it: pushes with and
 * without the hook alternate in one run, with A's daemon running (it relays the event) and with none (the
 * hook leaves the event to a one-shot publisher it starts in the background). Every event must still go
 * out: the figures include how many were left unpublished.
 *
 * A third push per round runs a hook that starts an empty program with the hook's own `deno run` command
 * line: Deno's start-up alone, which no code of ours can go below. Each push waits until the previous one's
 * announcement is out, as pushes seconds apart do, so a background publisher never weighs on the next push.
 */

import { join } from "node:path";
import { fleet } from "../../tests/helpers/fleet.ts";
import { shellQuote } from "../../src/util/shell.ts";
import { median, sleep } from "./stats.ts";

export interface HookCost {
  withHook: number;
  withoutHook: number;
  /** With a hook that only starts Deno: the floor of any hook run through `deno run`. */
  denoOnly: number;
  /** Outbox entries not published 30 s after the last push (target 0). */
  left: number;
}

export interface HookFigures {
  /** A's daemon runs: the hook hands the event to it. */
  relayed: HookCost;
  /** No daemon on A: a one-shot publisher announces it. */
  direct: HookCost;
}

type Fleet = Awaited<ReturnType<typeof fleet>>;

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

/** `git push` on A, rotating the hook, none and the Deno-only hook, so all three see the same machine. */
async function hookCost(f: Fleet, pushes: number): Promise<HookCost> {
  const a = f.machine("a");
  const hook = join(a.repoPath("repo1"), ".git", "hooks", "pre-push");
  const installed = await Deno.readTextFile(hook);
  const denoOnly = await denoOnlyHook(installed, a.home);
  const times = { withHook: [] as number[], withoutHook: [] as number[], denoOnly: [] as number[] };
  const variants: [keyof typeof times, string | null][] = [
    ["withHook", installed],
    ["withoutHook", null],
    ["denoOnly", denoOnly],
  ];
  for (let i = 0; i < pushes; i++) {
    for (const [name, script] of variants) {
      if (script === null) await Deno.remove(hook);
      else await Deno.writeTextFile(hook, script, { mode: 0o755 });
      await a.commitFile("repo1", "cost.txt", `${name} ${i} ${performance.now()}\n`, `${name} ${i}`);
      await drained(a.home, 10_000);
      times[name].push(await pushMs(f));
    }
  }
  await Deno.writeTextFile(hook, installed, { mode: 0o755 });
  return {
    withHook: median(times.withHook),
    withoutHook: median(times.withoutHook),
    denoOnly: median(times.denoOnly),
    left: await drained(a.home, 30_000),
  };
}

/** The installed hook's `deno run` command line, with an empty program in place of the hook's entry. */
async function denoOnlyHook(installed: string, home: string): Promise<string> {
  const line = installed.split("\n").find((l) => l.includes(" hook pre-push "));
  const command = /GITARGUS_PUSHER=\$PPID (.+?) (?:--config \S+ )?hook pre-push /.exec(line ?? "")?.[1];
  if (!command) throw new Error("cannot find the hook's command line in the installed pre-push hook");
  const empty = join(home, "empty-program.js");
  await Deno.writeTextFile(empty, "export {};\n");
  const words = command.split(" ");
  words[words.length - 1] = shellQuote(empty);
  return `#!/bin/sh\nexec ${words.join(" ")} </dev/null >&2\n`;
}

async function pushMs(f: Fleet): Promise<number> {
  const push = await f.gitPush("a", "repo1");
  if (push.code !== 0) throw new Error(`push failed: ${push.stderr}`);
  return push.ms;
}

/** Entries still in A's outbox once it had `limitMs` to empty, after a pause for the publisher to end. */
async function drained(home: string, limitMs: number): Promise<number> {
  const deadline = Date.now() + limitMs;
  let left = 0;
  do {
    left = 0;
    try {
      for await (const entry of Deno.readDir(join(home, ".gitargus", "outbox"))) {
        if (entry.name.endsWith(".json")) left++;
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (left > 0) await sleep(50);
  } while (left > 0 && Date.now() < deadline);
  await sleep(300);
  return left;
}
