/**
 * `deno task bench`: the performance figures README quotes. Every figure is measured against a baseline run in
 * the same script, so a noisy machine moves both sides together.
 *
 *   --repos N          repositories in the generated workspace (100)
 *   --ignored-dirs N   directories in each repository's ignored node_modules (20000)
 *   --rounds N         rounds of the full-update comparison (3)
 *   --pushes N         pushes for propagation and hook cost (20)
 *   --remote-latency N the simulated remote's round trip for the second full-update run, ms (50)
 *   --startup-repos N  repositories for the start-up figures (1000)
 *   --status-repos L   sizes for the status --local figures, comma-separated (100,500)
 *   --fleet N,M        hosts and repositories per host for the store read and cost figures (10,1000)
 *   --only NAME        full-update | daemon | startup | attention | leave-local | status-local | store |
 *                      cost | hook | propagation
 */

import { parseArgs } from "node:util";
import { startEmulatorProcess } from "../tests/helpers/emulators.ts";
import { countingProxy } from "./bench/counting_proxy.ts";
import { createWorkspace, writeBenchConfig } from "./bench/workspace.ts";
import { benchFullUpdate } from "./bench/full_update.ts";
import { benchDaemon } from "./bench/daemon_costs.ts";
import { benchPropagation } from "./bench/propagation.ts";
import { benchHookCost, type HookCost } from "./bench/hook_cost.ts";
import { benchStartup } from "./bench/startup.ts";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { benchAttention } from "./bench/attention_costs.ts";
import { benchLeaveLocal } from "./bench/leave_local.ts";
import { statusAndCostSections } from "./bench/status_and_cost.ts";
import { ms, ratio, report } from "./bench/stats.ts";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { tableDefinition } from "../src/store/table_schema.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    repos: { type: "string", default: "100" },
    "ignored-dirs": { type: "string", default: "20000" },
    rounds: { type: "string", default: "3" },
    pushes: { type: "string", default: "20" },
    "remote-latency": { type: "string", default: "50" },
    "startup-repos": { type: "string", default: "1000" },
    "status-repos": { type: "string", default: "100,500" },
    fleet: { type: "string", default: "10,1000" },
    only: { type: "string" },
  },
});
const repos = Number(values.repos);
const ignoredDirs = Number(values["ignored-dirs"]);
const wanted = (name: string) => !values.only || values.only === name;

console.log(
  `GitArgus benchmark: ${repos} repositories, ${Deno.build.os}-${Deno.build.arch}, deno ${Deno.version.deno}`,
);

if (wanted("full-update") || wanted("daemon") || wanted("startup") || wanted("attention")) {
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

  if (wanted("startup")) {
    const count = Number(values["startup-repos"]);
    console.log(`\nGenerating ${count} repositories for the start-up figures...`);
    const ws = await createWorkspace(count, { ignoredDirs: 2 });
    try {
      const queue = await createQueue(emulators.sqs, "bench.fifo");
      await writeBenchConfig(ws, {
        aws: {
          dynamodb: { table: "gitargus", endpoint: proxy.url },
          sqs: { queue, endpoint: emulators.sqs },
        },
      });
      const rounds = Math.max(1, Number(values.rounds));
      const s = await benchStartup(ws, env, rounds);
      report(`Daemon start-up with ${count} repositories, hooks installed at start (median of ${rounds})`, [
        ["reads its queue after", ms(s.listenMs)],
        ["full update done, every repository watched", ms(s.readyMs)],
        ["sequential loop of git status", ms(s.statusLoopMs)],
        ["sequential loop of git fetch + git status", ms(s.fetchStatusLoopMs)],
        ["  ratio ready / fetch + status loop", ratio(s.readyMs / s.fetchStatusLoopMs)],
        ["  ratio ready / status loop", ratio(s.readyMs / s.statusLoopMs)],
        ["  ratio queue read / status loop", ratio(s.listenMs / s.statusLoopMs)],
        ["idle resident memory (target <= 100 MB)", `${s.idleRssMb.toFixed(1)} MB`],
        ["  threads then", String(s.idleThreads)],
        ["  two minutes later", `${s.laterRssMb.toFixed(1)} MB`],
        ["inotify watches", `${s.watches} of the system's ${s.watchLimit ?? "unknown"}`],
      ]);
    } finally {
      await Deno.remove(ws.root, { recursive: true });
    }
  }

  if (wanted("attention")) {
    const ws = await createWorkspace(repos);
    try {
      const a = await benchAttention(ws, proxy, env, {
        dynamodb: { table: "gitargus", endpoint: proxy.url },
      });
      report("Attention items (notifications on, the other machines read every 5 s) against both off", [
        ["idle resident memory, off", `${a.rssOffMb.toFixed(1)} MB`],
        ["idle resident memory, on", `${a.rssOnMb.toFixed(1)} MB`],
        ["  ratio on / off (target <= 1.10)", ratio(a.rssOnMb / a.rssOffMb)],
        [`read requests per read of ${repos} records, one host (target 2)`, a.scansPerRead.toFixed(2)],
        ["  requests a day at the default 300 s", String(Math.round(a.scansPerRead * 288))],
      ]);
    } finally {
      await Deno.remove(ws.root, { recursive: true });
    }
  }
}

if (wanted("leave-local")) {
  // Store-free: neither side touches AWS.
  const ws = await createWorkspace(repos);
  try {
    await writeBenchConfig(ws, { notify: { desktop: false } });
    const rounds = Math.max(5, Number(values.rounds));
    const l = await benchLeaveLocal(ws, rounds);
    report(`leave --local over ${repos} repositories, as a prompt starts it (median of ${rounds} rounds)`, [
      ["from the daemon's cache", ms(l.fromCache)],
      ["one repository changed since, read from git", ms(l.oneStale)],
      ["sequential loop of git status", ms(l.statusLoop)],
      ["  ratio cache / loop (target <= 0.50)", ratio(l.fromCache / l.statusLoop)],
      ["  ratio one changed / loop", ratio(l.oneStale / l.statusLoop)],
    ]);
  } finally {
    await Deno.remove(ws.root, { recursive: true });
  }
}

{
  const [fleetHosts = 10, fleetRepos = 1000] = values.fleet.split(",").map(Number);
  await statusAndCostSections({
    statusRepos: values["status-repos"].split(",").map(Number),
    fleetHosts,
    fleetRepos,
    rounds: Number(values.rounds),
    wanted,
  });
}

if (wanted("propagation")) {
  const p = await benchPropagation(Number(values.pushes));
  report(`Push propagation over ${p.pushes} pushes (git push returns on A -> B's HEAD is the commit)`, [
    ["min", ms(p.propagation.min)],
    ["median (target < 1500 ms)", ms(p.propagation.median)],
    ["p95 (target < 3000 ms)", ms(p.propagation.p95)],
    ["max", ms(p.propagation.max)],
  ]);
  report("A push at a delay after B's daemon restarted (SIGTERM, the new one started at once)", [
    ...p.restarts.map((r): [string, string] => [
      `pushed ${r.delayMs} ms after: ready ${ms(r.readyMs)}, applied ${ms(r.appliedMs)}`,
      `${ms(r.lateMs)} after ready and pushed`,
    ]),
    ["  worst (target <= 1000 ms)", ms(Math.max(...p.restarts.map((r) => r.lateMs)))],
  ]);
}

if (wanted("hook")) {
  const pushes = Number(values.pushes);
  const h = await benchHookCost(pushes);
  const rows = (label: string, c: HookCost): [string, string][] => [
    [label, ms(c.withHook)],
    ["git push without the hook", ms(c.withoutHook)],
    ["  hook overhead (target <= 50 ms)", ms(c.withHook - c.withoutHook)],
    ["  ratio with / without", ratio(c.withHook / c.withoutHook)],
    ["  of which Deno's own start (a hook running an empty program)", ms(c.denoOnly - c.withoutHook)],
    ["  the hook's own part, over Deno's start", ms(c.withHook - c.denoOnly)],
    ["  events left unpublished (target 0)", String(c.left)],
  ];
  report(
    `The pre-push hook from source, ${pushes} pushes each with, without and Deno only, rotating (medians)`,
    [
      ...rows("git push, A's daemon relays the event", h.relayed),
      ...rows("git push, no daemon: a one-shot publisher in the background", h.direct),
    ],
  );
}

async function createQueue(endpoint: string, name: string): Promise<string> {
  const client = new SQSClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }));
  client.destroy();
  return name;
}

async function createTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  await client.send(new CreateTableCommand({ TableName: "gitargus", ...tableDefinition("on-demand") }));
  client.destroy();
}
