/**
 * The sections "status at any size" and "AWS requests and cost" of `deno task bench`: `status --local`
 * against a git loop at two sizes, the store read per host against a Scan at fleet size, and what a machine
 * asks of AWS in a day.
 */

import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startEmulatorProcess } from "../../tests/helpers/emulators.ts";
import { createStateTable } from "../../tests/helpers/records.ts";
import { countingProxy } from "./counting_proxy.ts";
import { createWorkspace, writeBenchConfig } from "./workspace.ts";
import { benchStatusLocal, type StatusLocalFigures } from "./status_local.ts";
import { benchStoreRead, type StoreReadFigures } from "./store_read.ts";
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
  const ws = await createWorkspace(0);
  let fleet: StoreReadFigures;
  try {
    fleet = await benchStoreRead(
      emulators.dynamodb,
      ws,
      options.fleetHosts,
      options.fleetRepos,
      options.rounds,
    );
  } finally {
    await Deno.remove(ws.root, { recursive: true });
  }
  const size = `${options.fleetHosts} hosts x ${options.fleetRepos} repositories`;
  if (options.wanted("store")) storeSection(fleet, size, options.rounds);
  if (options.wanted("cost")) await costSection(emulators, fleet, size, options.fleetHosts);
}

function storeSection(fleet: StoreReadFigures, size: string, rounds: number): void {
  const requests = (r: Record<string, number>) =>
    Object.entries(r).map(([k, v]) => `${v} ${k}`).join(", ") || "none";
  report(`status over the store, ${size} (median of ${rounds})`, [
    ["the store's read of every host, per host", ms(fleet.readMs)],
    ["  requests", requests(fleet.requests)],
    ["the same items scanned whole (a table without the index)", ms(fleet.scanMs)],
    ["  requests", requests(fleet.scanRequests)],
    ["  ratio per host / scan", ratio(fleet.readMs / fleet.scanMs)],
    ["gitargus status --json, the whole process", ms(fleet.cliStatusMs)],
    ["gitargus --version, the process alone", ms(fleet.cliVersionMs)],
    ["  ratio status / --version", ratio(fleet.cliStatusMs / fleet.cliVersionMs)],
    ["read units of one read of the fleet (eventually consistent)", fleet.readUnits.toFixed(1)],
    ["  average size of an item", `${Math.round(fleet.itemBytes)} bytes`],
  ]);
}

async function costSection(
  emulators: { dynamodb: string; sqs: string },
  fleet: StoreReadFigures,
  size: string,
  hosts: number,
): Promise<void> {
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
    const fleetPages = Object.values(fleet.requests).reduce((a, b) => a + b, 0);
    const day = { hosts, repositoryWrites: 200, pushes: 20, fleetReadUnits: fleet.readUnits, fleetPages };
    const { idle, working } = perDay(rates, day);
    const n = (v: number) => Math.round(v).toLocaleString("en-US");
    const dynamo = (d: typeof idle) => `${n(d.dynamoWrites)} / ${n(d.dynamoReads)} (${n(d.dynamoReadUnits)})`;
    report(`AWS requests per machine per day, a fleet of ${size}, default periods`, [
      ["measured: DynamoDB writes per heartbeat", rates.perHeartbeat.toFixed(2)],
      ["measured: reads per reading of the other machines, one host", rates.perOthersRead.toFixed(2)],
      ["measured: SQS long polls a minute, idle", (rates.receivesPerSecond * 60).toFixed(2)],
      ["measured: SQS requests per message received", rates.perMessage.toFixed(2)],
      ["idle: DynamoDB writes / reads (read units)", dynamo(idle)],
      ["idle: SQS requests", n(idle.sqs)],
      ["idle: a month on demand, before free allowances", `$${monthlyDollars(idle).toFixed(2)}`],
      [
        `working day: ${day.repositoryWrites} states, ${day.pushes} pushes out, ${
          day.pushes * (hosts - 1)
        } in`,
        "",
      ],
      ["  DynamoDB writes / reads (read units)", dynamo(working)],
      ["  SQS requests / SNS publishes", `${n(working.sqs)} / ${n(working.snsPublishes)}`],
      ["  a month on demand, before free allowances", `$${monthlyDollars(working).toFixed(2)}`],
      [`fleet: SQS requests a month (free ${n(FREE.sqsRequests)})`, n(working.sqs * 30 * hosts)],
      [
        `fleet: SNS publishes a month (free ${n(FREE.snsPublishes)} on standard topics)`,
        n(working.snsPublishes * 30 * hosts),
      ],
      [
        `fleet: read / write units a second on average (free provisioned ${FREE.provisionedUnits} each)`,
        `${(working.dynamoReadUnits * hosts / 86_400).toFixed(2)} / ${
          (working.dynamoWrites * hosts / 86_400).toFixed(2)
        }`,
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
    ["  ratio (target <= 1.50)", ratio(f.local / f.loop)],
  ]);
  const [small, large] = [figures[0], figures.at(-1)];
  if (small && large && large.repositories > small.repositories) {
    const added = large.repositories - small.repositories;
    const each = (a: number, b: number) => `${((b - a) / added).toFixed(2)} ms`;
    rows.push([
      "each repository more: status --local / loop",
      `${each(small.local, large.local)} / ${each(small.loop, large.loop)}`,
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
