/**
 * Start-up at size: the real daemon over a workspace of many repositories (1,000 by default), with its
 * hooks installed at start as a user has it. How soon it reads its queue (pushes from other machines are
 * taken from then on), how long until its start-up full update is done and every repository watched, as a
 * ratio of a sequential `git status` loop over the same repositories; idle memory; inotify watches against
 * the system's limit (past it, the daemon checks the rest by polling).
 */

import { startCli } from "../../tests/helpers/cli.ts";
import type { BenchWorkspace } from "./workspace.ts";
import { inotifyWatches, rssMb, threadCount } from "./daemon_costs.ts";
import { shellLoop } from "./full_update.ts";
import { median, sleep, timed } from "./stats.ts";

export interface StartupFigures {
  /** From the start of the process until it reads its queue. */
  listenMs: number;
  /** From the start of the process until it watches every repository (full update done). */
  readyMs: number;
  statusLoopMs: number;
  /** The same loop with a `git fetch` before each status, as a full update fetches every repository. */
  fetchStatusLoopMs: number;
  idleRssMb: number;
  /** The same, two minutes later: heartbeats and long polls since must not have grown it back. */
  laterRssMb: number;
  /** Threads when the memory was read. */
  idleThreads: number;
  watches: number;
  /** `fs.inotify.max_user_watches`, null where it cannot be read. */
  watchLimit: number | null;
}

/**
 * Idle means at rest: the runtime keeps the threads of a burst of file operations for 10 s after the last one
 * (the start-up's last reads end just before the daemon says it watches), and their stacks count while they
 * live: 37 threads and 115 MB 3 s after, 5 threads and 105 MB 13 s after, at 1,000 repositories.
 */
const SETTLE_MS = 15_000;
/** Two heartbeats and six long polls at the defaults. */
const LATER_MS = 120_000;

export async function benchStartup(
  ws: BenchWorkspace,
  env: Record<string, string>,
  rounds: number,
): Promise<StartupFigures> {
  const dirs = ws.names.map((name) => `${ws.workspace}/${name}`);
  const listen: number[] = [];
  const ready: number[] = [];
  const loop: number[] = [];
  const fetchLoop: number[] = [];
  let idleRssMb = 0;
  let laterRssMb = 0;
  let idleThreads = 0;
  let watches = 0;
  for (let round = 0; round < rounds; round++) {
    loop.push(await timed(() => shellLoop(dirs, ws.env, false)));
    fetchLoop.push(await timed(() => shellLoop(dirs, ws.env, true)));
    const started = performance.now();
    await using daemon = await startCli(["run"], { env: { ...ws.env, ...env } });
    await daemon.waitForLine(/Listening for pushes/, 600_000);
    listen.push(performance.now() - started);
    await daemon.waitForLine(new RegExp(`Watching ${ws.names.length} repositories`), 600_000);
    ready.push(performance.now() - started);
    if (round === rounds - 1) {
      await sleep(SETTLE_MS);
      idleRssMb = await rssMb(daemon.pid);
      idleThreads = await threadCount(daemon.pid);
      watches = await inotifyWatches(daemon.pid);
      await sleep(LATER_MS);
      laterRssMb = await rssMb(daemon.pid);
    }
    await daemon.stop();
  }
  return {
    listenMs: median(listen),
    readyMs: median(ready),
    statusLoopMs: median(loop),
    fetchStatusLoopMs: median(fetchLoop),
    idleRssMb,
    laterRssMb,
    idleThreads,
    watches,
    watchLimit: await watchLimit(),
  };
}

async function watchLimit(): Promise<number | null> {
  try {
    return Number((await Deno.readTextFile("/proc/sys/fs/inotify/max_user_watches")).trim());
  } catch {
    return null;
  }
}
