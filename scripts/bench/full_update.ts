/**
 * Full update of a generated workspace, in process with the real git runner and the real DynamoDB store (on
 * the emulator), against a plain sequential shell loop doing the same git work, run in the same script.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadConfig } from "../../src/config/load.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { Daemon } from "../../src/daemon/daemon.ts";
import { RepoMonitor } from "../../src/daemon/monitor.ts";
import { systemClock } from "../../src/util/clock.ts";
import { DynamoStore } from "../../src/store/dynamo_store.ts";
import { logger } from "../../src/log/logger.ts";
import type { BenchWorkspace } from "./workspace.ts";
import { median, timed } from "./stats.ts";

export interface FullUpdateFigures {
  /** A first start: every repository is read and written. */
  firstStart: number;
  /** The periodic reconcile: every repository is read, nothing changed, nothing is written. */
  withoutFetch: number;
  statusLoop: number;
  withFetch: number;
  fetchStatusLoop: number;
}

export async function benchFullUpdate(
  ws: BenchWorkspace,
  dynamodb: string,
  rounds: number,
): Promise<FullUpdateFigures> {
  const config = await loadConfig({ explicitPath: ws.configFile, env: (name) => ws.env[name] });
  const runner = new DenoGitRunner({
    parallelism: config.daemon.parallelism,
    env: gitEnvironment((n) => ws.env[n]),
  });
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint: dynamodb,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const store = new DynamoStore(client, config.aws.dynamodb.table);
  const log = logger("bench");
  const dirs = ws.names.map((name) => `${ws.workspace}/${name}`);
  const samples: Record<keyof FullUpdateFigures, number[]> = {
    firstStart: [],
    withoutFetch: [],
    statusLoop: [],
    withFetch: [],
    fetchStatusLoop: [],
  };
  for (let round = 0; round < rounds; round++) {
    // A fresh host name each round, so every round writes every repository as a first start does.
    const deps = { runner, store, clock: systemClock, log, fetchTimeoutMs: 60_000 };
    const monitor = new RepoMonitor({ ...deps, hostname: `bench-nofetch-${round}` }, config.repositories);
    await Promise.all(monitor.names().map((name) => monitor.locate(name)));
    const refreshAll = () => Promise.all(monitor.names().map((name) => monitor.refresh(name)));
    samples.firstStart.push(await timed(refreshAll));
    samples.withoutFetch.push(await timed(refreshAll));
    samples.statusLoop.push(await timed(() => shellLoop(dirs, ws.env, false)));
    const daemon = new Daemon({
      config: { ...config, hostname: `bench-fetch-${round}` },
      ...deps,
      version: "bench",
    });
    await Promise.all(daemon.monitor.names().map((name) => daemon.monitor.locate(name)));
    samples.withFetch.push(await timed(() => daemon.fullUpdate()));
    samples.fetchStatusLoop.push(await timed(() => shellLoop(dirs, ws.env, true)));
  }
  client.destroy();
  return {
    firstStart: median(samples.firstStart),
    withoutFetch: median(samples.withoutFetch),
    statusLoop: median(samples.statusLoop),
    withFetch: median(samples.withFetch),
    fetchStatusLoop: median(samples.fetchStatusLoop),
  };
}

/** What a user would write by hand: one repository after another. */
export async function shellLoop(dirs: string[], env: Record<string, string>, fetch: boolean): Promise<void> {
  const body = fetch
    ? 'for d in "$@"; do git -C "$d" fetch -q && git -C "$d" status --porcelain=v2 --branch >/dev/null; done'
    : 'for d in "$@"; do git -C "$d" status --porcelain=v2 --branch >/dev/null; done';
  const output = await new Deno.Command("bash", { args: ["-c", body, "loop", ...dirs], env, clearEnv: true })
    .output();
  if (output.code !== 0) throw new Error(`shell loop failed: ${new TextDecoder().decode(output.stderr)}`);
}
