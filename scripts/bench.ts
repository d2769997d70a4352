/**
 * `deno task bench`: the performance figures README quotes. Every figure is measured against a baseline run in
 * the same script, so a noisy machine moves both sides together.
 *
 *   --repos N          repositories in the generated workspace (100)
 *   --ignored-dirs N   directories in each repository's ignored node_modules (20000)
 *   --rounds N         rounds of the full-update comparison (3)
 *   --pushes N         pushes for propagation and hook cost (20)
 *   --remote-latency N the simulated remote's round trip for the second full-update run, ms (50)
 *   --only NAME        full-update | daemon | propagation
 */

import { parseArgs } from "node:util";
import { startEmulatorProcess } from "../tests/helpers/emulators.ts";
import { countingProxy } from "./bench/counting_proxy.ts";
import { createWorkspace, writeBenchConfig } from "./bench/workspace.ts";
import { benchFullUpdate } from "./bench/full_update.ts";
import { benchDaemon } from "./bench/daemon_costs.ts";
import { benchPropagation } from "./bench/propagation.ts";
import { ms, ratio, report } from "./bench/stats.ts";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    repos: { type: "string", default: "100" },
    "ignored-dirs": { type: "string", default: "20000" },
    rounds: { type: "string", default: "3" },
    pushes: { type: "string", default: "20" },
    "remote-latency": { type: "string", default: "50" },
    only: { type: "string" },
  },
});
const repos = Number(values.repos);
const ignoredDirs = Number(values["ignored-dirs"]);
const wanted = (name: string) => !values.only || values.only === name;

console.log(
  `GitArgus benchmark: ${repos} repositories, ${Deno.build.os}-${Deno.build.arch}, deno ${Deno.version.deno}`,
);

if (wanted("full-update") || wanted("daemon")) {
  // In their own process, as AWS is in its own place: the emulators' work does not land on the measured loop.
  await using emulators = await startEmulatorProcess();
  await using proxy = countingProxy(emulators.dynamodb);
  await createTable(proxy.url);
  const env = { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };

  if (wanted("full-update")) {
    for (const latency of [0, Number(values["remote-latency"])]) {
      const ws = await createWorkspace(repos, { remoteLatencyMs: latency });
      try {
        await writeBenchConfig(ws, { aws: { dynamodb: { table: "gitargus", endpoint: proxy.url } } });
        const f = await benchFullUpdate(ws, proxy.url, Number(values.rounds));
        const remote = latency ? `a remote ${latency} ms away` : "a loopback remote";
        report(`Full update of ${repos} repositories, ${remote} (median of ${values.rounds} rounds)`, [
          ["without fetch, reconcile (status, nothing to write)", ms(f.withoutFetch)],
          ["without fetch, first start (status + 100 writes)", ms(f.firstStart)],
          ["sequential loop of git status", ms(f.statusLoop)],
          ["  ratio reconcile / loop (target <= 1.00)", ratio(f.withoutFetch / f.statusLoop)],
          ["  ratio first start / loop", ratio(f.firstStart / f.statusLoop)],
          ["with fetch (fetch + fast-forward + status + write)", ms(f.withFetch)],
          ["sequential loop of git fetch + git status", ms(f.fetchStatusLoop)],
          ["  ratio (target <= 0.60)", ratio(f.withFetch / f.fetchStatusLoop)],
        ]);
      } finally {
        await Deno.remove(ws.root, { recursive: true });
      }
    }
  }

  if (wanted("daemon")) {
    console.log(`\nGenerating ${repos} repositories with ${ignoredDirs} ignored directories each...`);
    const ws = await createWorkspace(repos, { ignoredDirs });
    try {
      await writeBenchConfig(ws, { aws: { dynamodb: { table: "gitargus", endpoint: proxy.url } } });
      const d = await benchDaemon(ws, proxy, env, ignoredDirs);
      report("Running daemon", [
        ["idle resident memory (target < 100 MB)", `${d.idleRssMb.toFixed(1)} MB`],
        ["inotify watches", `${d.watches} (for ${d.ignoredDirs} ignored directories)`],
        ["  watches per repository", (d.watches / repos).toFixed(1)],
        ["writes: one saved file (target 1)", String(d.writesSavedFile)],
        ["writes: a pull of one commit (target 1)", String(d.writesPull)],
        ["writes: a build writing 5,000 files (target 1)", String(d.writesBuild)],
        ["writes: 5,000 files into an ignored folder", String(d.writesIgnoredBuild)],
      ]);
    } finally {
      await Deno.remove(ws.root, { recursive: true });
    }
  }
}

if (wanted("propagation")) {
  const p = await benchPropagation(Number(values.pushes));
  report(`Push propagation over ${p.pushes} pushes (git push returns on A -> B's HEAD is the commit)`, [
    ["min", ms(p.propagation.min)],
    ["median (target < 1500 ms)", ms(p.propagation.median)],
    ["p95 (target < 3000 ms)", ms(p.propagation.p95)],
    ["max", ms(p.propagation.max)],
    ["git push, hook handing over to A's daemon (median)", ms(p.relayed.withHook)],
    ["git push without the hook (median)", ms(p.relayed.withoutHook)],
    ["  hook overhead (target < 300 ms)", ms(p.relayed.withHook - p.relayed.withoutHook)],
    ["  ratio with / without", ratio(p.relayed.withHook / p.relayed.withoutHook)],
    ["git push, hook publishing to SNS itself (median)", ms(p.direct.withHook)],
    ["git push without the hook (median)", ms(p.direct.withoutHook)],
    ["  hook overhead (target < 300 ms)", ms(p.direct.withHook - p.direct.withoutHook)],
    ["  ratio with / without", ratio(p.direct.withHook / p.direct.withoutHook)],
  ]);
}

async function createTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  await client.send(
    new CreateTableCommand({
      TableName: "gitargus",
      AttributeDefinitions: [{ AttributeName: "hostname", AttributeType: "S" }, {
        AttributeName: "key",
        AttributeType: "S",
      }],
      KeySchema: [{ AttributeName: "hostname", KeyType: "HASH" }, { AttributeName: "key", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  client.destroy();
}
