/**
 * The sections "status at any size" and "AWS requests and cost" of `deno task bench`: `status --local`
 * against a git loop at two sizes, the store read per host against a Scan at fleet size, and what a machine
 * asks of AWS in a day.
 */

import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startEmulatorProcess } from "../../tests/helpers/emulators.ts";
import { createStateTable } from "../../tests/helpers/records.ts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { countingProxy } from "./counting_proxy.ts";
import { createWorkspace, writeBenchConfig } from "./workspace.ts";
import { benchStatusLocal, type StatusLocalFigures } from "./status_local.ts";
import { benchStoreRead } from "./store_read.ts";
import { FREE, measureRates, monthlyDollars, perDay } from "./aws_costs.ts";
import { ms, ratio, report } from "./stats.ts";

export interface ScaleOptions {
  statusRepos: number[];
  fleetHosts: number;
  fleetRepos: number;
  rounds: number;
  wanted: (name: string) => boolean;
}

const ENV = { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };

export async function statusAndCostSections(options: ScaleOptions): Promise<void> {
  if (options.wanted("status-local")) await statusLocalSection(options);
  if (!options.wanted("store") && !options.wanted("cost")) return;
  await using emulators = await startEmulatorProcess();
  const fleet = await (async () => {
    const ws = await createWorkspace(0);
    try {
      return await benchStoreRead(
        emulators.dynamodb,
        ws,
        options.fleetHosts,
        options.fleetRepos,
        options.rounds,
      );
    } finally {
      await Deno.remove(ws.root, { recursive: true });
    }
  })();
  const size = `${options.fleetHosts} hosts x ${options.fleetRepos} repositories`;
  const requests = (r: Record<string, number>) =>
    Object.entries(r).map(([k, v]) => `${v} ${k}`).join(", ") || "none";
  if (options.wanted("store")) {
    report(`status over the store, ${size} (median of ${options.rounds})`, [
      ["read per host: directory, then one Query per host page", ms(fleet.perHostMs)],
      ["  requests", requests(fleet.perHostRequests)],
      ["read with a Scan of the table (earlier versions)", ms(fleet.scanMs)],
      ["  requests", requests(fleet.scanRequests)],
      ["  ratio per host / Scan", ratio(fleet.perHostMs / fleet.scanMs)],
      ["gitargus status --json, the whole process", ms(fleet.cliStatusMs)],
      ["gitargus --version, the process alone", ms(fleet.cliVersionMs)],
      ["  ratio status / --version", ratio(fleet.cliStatusMs / fleet.cliVersionMs)],
      ["read units of one read of the fleet (eventually consistent)", fleet.readUnits.toFixed(1)],
      ["  average size of an item", `${Math.round(fleet.itemBytes)} bytes`],
    ]);
  }
  if (!options.wanted("cost")) return;
  await using proxy = countingProxy(emulators.dynamodb);
  const client = new DynamoDBClient({
    region: ENV.AWS_REGION,
    endpoint: proxy.url,
    credentials: credentials(),
  });
  await createStateTable(client, "gitargus");
  client.destroy();
  const queue = await createQueue(emulators.sqs, "bench-cost.fifo");
  const ws = await createWorkspace(20);
  try {
    const rates = await measureRates(ws, proxy, emulators.sqs, queue, ENV);
    const day = {
      hosts: options.fleetHosts,
      repositoryWrites: 200,
      pushes: 20,
      fleetReadUnits: fleet.readUnits,
    };
    const { idle, working } = perDay(rates, day);
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const fleetSqsMonth = working.sqs * 30 * day.hosts;
    const fleetUnitsPerSecond = (working.dynamoReadUnits * day.hosts) / 86_400;
    report(`AWS requests per machine per day, a fleet of ${size}, default periods`, [
      ["measured: DynamoDB writes per heartbeat", rates.perHeartbeat.toFixed(2)],
      ["measured: reads per reading of the other machines (one host)", rates.perOthersRead.toFixed(2)],
      ["measured: SQS long polls per minute, idle", (rates.receivesPerSecond * 60).toFixed(2)],
      ["measured: SQS requests per message received", rates.perMessage.toFixed(2)],
      [
        "idle: DynamoDB writes / reads (read units)",
        `${fmt(idle.dynamoWrites)} / ${fmt(idle.dynamoReads)} (${fmt(idle.dynamoReadUnits)})`,
      ],
      ["idle: SQS requests", fmt(idle.sqs)],
      ["idle: a month on demand, before free allowances", `$${monthlyDollars(idle).toFixed(2)}`],
      [
        `working day (${day.repositoryWrites} states written, ${day.pushes} pushes out, ${
          day.pushes * (day.hosts - 1)
        } in)`,
        "",
      ],
      [
        "  DynamoDB writes / reads (read units)",
        `${fmt(working.dynamoWrites)} / ${fmt(working.dynamoReads)} (${fmt(working.dynamoReadUnits)})`,
      ],
      ["  SQS requests / SNS publishes", `${fmt(working.sqs)} / ${fmt(working.snsPublishes)}`],
      ["  a month on demand, before free allowances", `$${monthlyDollars(working).toFixed(2)}`],
      [`fleet: SQS requests a month (free ${fmt(FREE.sqsRequests)})`, fmt(fleetSqsMonth)],
      [
        `fleet: read units a second, average (free provisioned ${FREE.provisionedUnits})`,
        fleetUnitsPerSecond.toFixed(2),
      ],
      [
        `fleet: write units a second, average (free provisioned ${FREE.provisionedUnits})`,
        ((working.dynamoWrites * day.hosts) / 86_400).toFixed(2),
      ],
    ]);
  } finally {
    await Deno.remove(ws.root, { recursive: true });
  }
}

async function statusLocalSection(options: ScaleOptions): Promise<void> {
  const figures: StatusLocalFigures[] = [];
  for (const count of options.statusRepos) {
    const ws = await createWorkspace(count);
    try {
      await writeBenchConfig(ws, { aws: { dynamodb: { table: "gitargus" } } });
      figures.push(await benchStatusLocal(ws, Math.max(5, options.rounds)));
    } finally {
      await Deno.remove(ws.root, { recursive: true });
    }
  }
  const rows: Array<[string, string]> = figures.flatMap((f): Array<[string, string]> => [
    [`${f.repositories} repositories: status --local / git status loop`, `${ms(f.local)} / ${ms(f.loop)}`],
    [`  ratio (target <= 1.50)`, ratio(f.local / f.loop)],
  ]);
  const [small, large] = [figures[0], figures.at(-1)];
  if (small && large && large.repositories > small.repositories) {
    const added = large.repositories - small.repositories;
    rows.push([
      "cost of each repository more: status --local / loop",
      `${((large.local - small.local) / added).toFixed(2)} ms / ${
        ((large.loop - small.loop) / added).toFixed(2)
      } ms`,
    ]);
  }
  report("status --local as a user starts it, alternating with the loop (medians)", rows);
}

function credentials() {
  return { accessKeyId: ENV.AWS_ACCESS_KEY_ID, secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY };
}

async function createQueue(endpoint: string, name: string): Promise<string> {
  const client = new SQSClient({ region: ENV.AWS_REGION, endpoint, credentials: credentials() });
  await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }));
  client.destroy();
  return name;
}
