/**
 * What attention items cost a running daemon: its idle memory with notifications and the reading of the
 * other machines' states, against the same daemon with both off, and the requests that reading makes.
 */

import { startCli } from "../../tests/helpers/cli.ts";
import { type BenchWorkspace, writeBenchConfig } from "./workspace.ts";
import type { CountingProxy } from "./counting_proxy.ts";
import { sleep } from "./stats.ts";
import { rssMb } from "./daemon_costs.ts";

export interface AttentionFigures {
  rssOffMb: number;
  rssOnMb: number;
  /** Read requests (Query and Scan) per read of the store: the directory, then a page per host. */
  scansPerRead: number;
  reads: number;
}

/** Reads every 5 s in the measured run, so a short window holds several (the default is 300 s). */
const READ_SECONDS = 5;
const WINDOW_MS = 20_000;
const SETTLE_MS = 3000;

export async function benchAttention(
  ws: BenchWorkspace,
  proxy: CountingProxy,
  env: Record<string, string>,
  aws: Record<string, unknown>,
): Promise<AttentionFigures> {
  const off = { notify: { desktop: false, kinds: { workAtRisk: false, offlineWithWork: false } } };
  const on = { notify: { desktop: false, command: "cat > /dev/null", othersSeconds: READ_SECONDS } };
  const rssOffMb = (await idleRun(ws, proxy, env, { aws, ...off })).rss;
  const measured = await idleRun(ws, proxy, env, {
    aws,
    ...on,
    // Nothing else reads: the heartbeat stays out of the window.
    daemon: { heartbeatSeconds: 600 },
  });
  const reads = WINDOW_MS / (READ_SECONDS * 1000);
  return { rssOffMb, rssOnMb: measured.rss, scansPerRead: measured.scans / reads, reads };
}

async function idleRun(
  ws: BenchWorkspace,
  proxy: CountingProxy,
  env: Record<string, string>,
  config: Record<string, unknown>,
): Promise<{ rss: number; scans: number }> {
  await writeBenchConfig(ws, config);
  await using daemon = await startCli(["run", "--no-hooks"], { env: { ...ws.env, ...env } });
  await daemon.waitForLine(new RegExp(`Watching ${ws.names.length} repositories`), 600_000);
  await sleep(SETTLE_MS);
  const reads = () => proxy.action("Scan") + proxy.action("Query");
  const before = reads();
  await sleep(WINDOW_MS);
  const scans = reads() - before;
  const rss = await rssMb(daemon.pid);
  await daemon.stop();
  return { rss, scans };
}
