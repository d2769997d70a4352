/**
 * `status` at fleet size: a table of `hosts` machines with `repositories` items each, read by the store as
 * `status` reads it, and `gitargus status` itself over the table against `gitargus --version`, the process
 * alone. The items' sizes give the read units a reading of the whole fleet costs.
 */

import { BatchWriteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoStore } from "../../src/store/dynamo_store.ts";
import { hostRecord, repo } from "../../src/report/_testing.ts";
import { createStateTable } from "../../tests/helpers/records.ts";
import { TEST_CREDENTIALS, TEST_REGION } from "../../tests/helpers/emulators.ts";
import { denoEnv } from "../../tests/helpers/cli.ts";
import { benchCli } from "./workspace.ts";
import { type BenchWorkspace, writeBenchConfig } from "./workspace.ts";
import { median, timed } from "./stats.ts";

export interface StoreReadFigures {
  /** The read `status` does: the hosts from the index, then a Query per host page. */
  readMs: number;
  requests: Record<string, number>;
  /** The baseline, the same items in a table without the index: one paginated Scan. */
  scanMs: number;
  scanRequests: Record<string, number>;
  /** `gitargus status --json` over the table, and `gitargus --version` for the process's own cost. */
  cliStatusMs: number;
  cliVersionMs: number;
  /** Read units of one whole read, eventually consistent, from the items' sizes (DynamoDB's rounding). */
  readUnits: number;
  itemBytes: number;
}

const TABLE = "fleet";
const SCANNED = "fleet-scanned";

export async function benchStoreRead(
  endpoint: string,
  ws: BenchWorkspace,
  hosts: number,
  repositories: number,
  rounds: number,
): Promise<StoreReadFigures> {
  const commands: string[] = [];
  const client = new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint });
  client.middlewareStack.add((next, context) => (args) => {
    commands.push(String(context.commandName).replace(/Command$/, ""));
    return next(args);
  }, { step: "initialize" });
  try {
    await createStateTable(client, TABLE);
    await createStateTable(client, SCANNED, { hostIndex: false });
    const items = fleetItems(hosts, repositories);
    await plant(client, TABLE, items);
    await plant(client, SCANNED, items);
    const read = async (table: string) => {
      const times: number[] = [];
      let requests: Record<string, number> = {};
      await new DynamoStore(client, table).snapshot(); // warm the emulator and the client's connections
      for (let round = 0; round < rounds; round++) {
        commands.length = 0;
        times.push(await timed(() => new DynamoStore(client, table).snapshot()));
        requests = tally(commands);
      }
      return { ms: median(times), requests };
    };
    const scanned = await read(SCANNED);
    const indexed = await read(TABLE);
    const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
    // Per host page: its items' sizes summed, rounded up to 4 KB, half a unit each when eventually consistent.
    const readUnits = Math.ceil(bytes / hosts / 4096) * 0.5 * hosts;
    await writeBenchConfig(ws, { aws: { dynamodb: { table: TABLE, endpoint } } });
    const cli = await cliTimes(ws, rounds);
    return {
      readMs: indexed.ms,
      requests: indexed.requests,
      scanMs: scanned.ms,
      scanRequests: scanned.requests,
      cliStatusMs: cli.status,
      cliVersionMs: cli.version,
      readUnits,
      itemBytes: bytes / items.length,
    };
  } finally {
    client.destroy();
  }
}

type Item = Record<string, { S: string } | { N: string }>;

/** The items the fleet's daemons would have written: a HOST item and one REPO# item per repository. */
function fleetItems(hosts: number, repositories: number): Item[] {
  const item = (hostname: string, key: string, data: unknown): Item => ({
    hostname: { S: hostname },
    key: { S: key },
    rev: { N: "1" },
    observedAt: { S: "2026-01-01T00:00:00.000Z" },
    data: { S: JSON.stringify(data) },
  });
  return Array.from({ length: hosts }, (_, h) => `host-${String(h).padStart(2, "0")}`).flatMap((host) => [
    item(host, "HOST", hostRecord(host, { repositories })),
    ...Array.from({ length: repositories }, (_, r) => {
      const name = `repo-${String(r).padStart(4, "0")}`;
      return item(host, `REPO#${name}`, repo(name));
    }),
  ]);
}

async function plant(client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  const send = async (batch: Item[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  };
  const batches = Array.from(
    { length: Math.ceil(items.length / 25) },
    (_, i) => items.slice(i * 25, i * 25 + 25),
  );
  for (let at = 0; at < batches.length; at += 4) await Promise.all(batches.slice(at, at + 4).map(send));
}

/** DynamoDB's item size: attribute names and values in bytes. */
function itemSize(item: Item): number {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  return Object.entries(item).reduce((sum, [name, v]) => sum + bytes(name) + bytes("S" in v ? v.S : v.N), 0);
}

function tally(commands: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of commands) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

async function cliTimes(ws: BenchWorkspace, rounds: number): Promise<{ status: number; version: number }> {
  const env = {
    ...(await denoEnv()),
    ...ws.env,
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: TEST_REGION,
  };
  const run = (args: string[]) => benchCli(args, env);
  await run(["status", "--json"]);
  const status: number[] = [];
  const version: number[] = [];
  for (let round = 0; round < rounds; round++) {
    status.push(await timed(() => run(["status", "--json"])));
    version.push(await timed(() => run(["--version"])));
  }
  return { status: median(status), version: median(version) };
}
