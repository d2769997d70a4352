/**
 * AWS requests per machine per day. The daemon (the real CLI) runs idle on the emulators with its periods
 * shortened, behind counting proxies for DynamoDB and SQS; the requests each periodic event makes (a
 * heartbeat, a reading of the other machines, a long poll, a message received) are measured there, and a
 * day is those counts times the events of a day at the default periods.
 */

import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startCli } from "../../tests/helpers/cli.ts";
import { DEFAULT_DAEMON, DEFAULT_NOTIFY } from "../../src/config/defaults.ts";
import { LONG_POLL_SECONDS } from "../../src/events/queue_settings.ts";
import { type BenchWorkspace, writeBenchConfig } from "./workspace.ts";
import { type CountingProxy, countingProxy } from "./counting_proxy.ts";
import { sleep } from "./stats.ts";

const DAY_S = 86_400;
/** The shortest periods the config takes, so a short window holds several of each. */
const MEASURED_PERIOD_S = 5;
const WINDOW_MS = 30_000;
const SETTLE_MS = 3_000;
const MESSAGES = 3;

export interface MeasuredRates {
  /** DynamoDB writes per heartbeat. */
  perHeartbeat: number;
  /** DynamoDB reads (Query, Scan) per reading of the other machines, with only this host in the table. */
  perOthersRead: number;
  /** ReceiveMessage requests per second while idle. */
  receivesPerSecond: number;
  /** SQS requests per message received, beyond the long polls of the same time. */
  perMessage: number;
}

export async function measureRates(
  ws: BenchWorkspace,
  dynamodb: CountingProxy,
  sqsEndpoint: string,
  queue: string,
  env: Record<string, string>,
): Promise<MeasuredRates> {
  await using sqs = countingProxy(sqsEndpoint);
  await writeBenchConfig(ws, {
    aws: { dynamodb: { table: "gitargus", endpoint: dynamodb.url }, sqs: { queue, endpoint: sqs.url } },
    daemon: { heartbeatSeconds: MEASURED_PERIOD_S },
    notify: { desktop: false, command: "cat > /dev/null", othersSeconds: MEASURED_PERIOD_S },
  });
  await using daemon = await startCli(["run", "--no-hooks"], { env: { ...ws.env, ...env } });
  await daemon.waitForLine(new RegExp(`Watching ${ws.names.length} repositories`), 600_000);
  await sleep(SETTLE_MS);
  const before = { db: dynamodb.actions(), sqs: sqs.actions() };
  await sleep(WINDOW_MS);
  const idle = { db: since(dynamodb.actions(), before.db), sqs: since(sqs.actions(), before.sqs) };
  const events = WINDOW_MS / 1000 / MEASURED_PERIOD_S;
  const receives = (idle.sqs.ReceiveMessage ?? 0) / (WINDOW_MS / 1000);

  // Messages that are no push event: received, handled and deleted like any other, sent past the proxy.
  const client = new SQSClient({
    region: "us-east-1",
    endpoint: sqsEndpoint,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queue }));
  const beforeMessages = sqs.actions();
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify({ bench: i }),
        MessageGroupId: "bench",
        MessageDeduplicationId: `bench-${i}-${Date.now()}`,
      }),
    );
  }
  await sleep(5_000);
  client.destroy();
  const handled = total(since(sqs.actions(), beforeMessages));
  const extra = handled - receives * ((performance.now() - started) / 1000);
  await daemon.stop();
  return {
    perHeartbeat: (idle.db.PutItem ?? 0) / events,
    perOthersRead: ((idle.db.Query ?? 0) + (idle.db.Scan ?? 0)) / events,
    receivesPerSecond: receives,
    perMessage: Math.max(0, extra) / MESSAGES,
  };
}

export interface DayAssumptions {
  hosts: number;
  /** Repository states written on a working day (saves, commits, pulls): one write each ("Running daemon"). */
  repositoryWrites: number;
  /** Pushes from this machine, each announced once and received by every other machine. */
  pushes: number;
  /** Read units and requests of one reading of the whole fleet (eventually consistent), measured. */
  fleetReadUnits: number;
  fleetPages: number;
}

export interface DayCounts {
  dynamoWrites: number;
  dynamoReads: number;
  dynamoReadUnits: number;
  sqs: number;
  snsPublishes: number;
}

/** One machine's day: idle, and a working day on top of it. */
export function perDay(rates: MeasuredRates, day: DayAssumptions): { idle: DayCounts; working: DayCounts } {
  const heartbeats = DAY_S / DEFAULT_DAEMON.heartbeatSeconds;
  const othersReads = DAY_S / DEFAULT_NOTIFY.othersSeconds;
  // The measured read was one page; a table of the fleet's size takes a page per megabyte.
  const perRead = Math.max(rates.perOthersRead, day.fleetPages);
  const idle: DayCounts = {
    dynamoWrites: heartbeats * rates.perHeartbeat,
    dynamoReads: othersReads * perRead,
    dynamoReadUnits: othersReads * day.fleetReadUnits,
    sqs: Math.max(rates.receivesPerSecond * DAY_S, DAY_S / LONG_POLL_SECONDS),
    snsPublishes: 0,
  };
  const received = day.pushes * (day.hosts - 1);
  return {
    idle,
    working: {
      // Each push received fast-forwards one repository here: one more state written.
      dynamoWrites: idle.dynamoWrites + day.repositoryWrites + received,
      dynamoReads: idle.dynamoReads,
      dynamoReadUnits: idle.dynamoReadUnits,
      sqs: idle.sqs + received * rates.perMessage,
      snsPublishes: day.pushes,
    },
  };
}

/**
 * us-east-1 list prices assumed here, and the always-free allowances: DynamoDB on demand per million
 * request units, SQS per million requests (FIFO), SNS per million publishes to a FIFO topic. Check them on
 * https://aws.amazon.com/dynamodb/pricing/, https://aws.amazon.com/sqs/pricing/ and
 * https://aws.amazon.com/sns/pricing/ before relying on the sums.
 */
export const PRICES = { writeUnit: 0.625, readUnit: 0.125, sqsRequest: 0.5, snsPublish: 0.3 } as const;
export const FREE = { sqsRequests: 1_000_000, snsPublishes: 1_000_000, provisionedUnits: 25 } as const;

/** A month of one machine, on demand, before any free allowance. */
export function monthlyDollars(day: DayCounts): number {
  return 30 * (day.dynamoWrites * PRICES.writeUnit + day.dynamoReadUnits * PRICES.readUnit +
    day.sqs * PRICES.sqsRequest + day.snsPublishes * PRICES.snsPublish) /
    1e6;
}

function since(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, v) => sum + v, 0);
}
