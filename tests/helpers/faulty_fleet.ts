/**
 * Three machines for outage tests. Machine a reaches DynamoDB, SNS and SQS only through one fault proxy each;
 * b reaches the emulators directly; c has no daemon, so its hook publishes itself, through a's SNS proxy.
 * Each direction of travel has its own repository, so every path can be checked on its own:
 *
 *   to-a     b pushes, a's queue receives, a fast-forwards              (SQS)
 *   local    a's working copy changes, a writes its state to the store   (DynamoDB)
 *   from-a   a pushes, its hook leaves the event to a's daemon, which
 *            publishes it, and b fast-forwards                          (SNS, the outbox)
 *   from-c   c pushes; its hook publishes within its own deadline        (the hook's path)
 */

import { join } from "node:path";
import { GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { AwsService } from "../../src/aws/clients.ts";
import { awsClients } from "./emulators.ts";
import { type Fleet, fleet, type PushResult } from "./fleet.ts";
import { type CliProcess, waitFor } from "./cli.ts";
import { type FaultMode, type FaultProxy, faultProxy } from "./fault_proxy.ts";

export const SERVICES: readonly AwsService[] = ["dynamodb", "sns", "sqs"];

/** What the daemon logs when an outage starts and ends (src/aws/outage.ts). */
export const OUTAGE_START: Record<AwsService, RegExp> = {
  dynamodb: /DynamoDB unavailable/,
  sns: /SNS unavailable/,
  sqs: /SQS unavailable/,
};
export const OUTAGE_END: Record<AwsService, RegExp> = {
  dynamodb: /DynamoDB answers again after/,
  sns: /SNS answers again after/,
  sqs: /SQS answers again after/,
};

/** The hook's deadline is 2 s; the bound leaves room for starting the CLI on a loaded test machine. */
export const HOOK_BOUND_MS = 4_500;

export interface FaultyFleet extends AsyncDisposable {
  f: Fleet;
  proxies: Record<AwsService, FaultProxy>;
  daemonA: CliProcess;
  daemonB: CliProcess;
  setAll(mode: FaultMode): Promise<void>;
  /** b commits and pushes to-a; returns the commit a must reach. */
  pushToA(label: string): Promise<string>;
  /** Adds an untracked file to a's local; returns how many untracked files it now has. */
  changeOnA(label: string): Promise<number>;
  /** a commits and pushes from-a through its hook; returns the commit b must reach and the push. */
  pushFromA(label: string): Promise<{ sha: string; push: PushResult }>;
  /** c commits and pushes from-c; its hook publishes through a's SNS proxy. */
  pushFromC(label: string): Promise<PushResult>;
  headOf(machine: "a" | "b", repo: string): Promise<string>;
  /** The untracked count of a's local as the store holds it, read from the emulator itself. */
  storedUntracked(): Promise<number | null>;
  /** The repositories the store holds for a, sorted. */
  storedRepositories(): Promise<string[]>;
  /** How many of a's log lines from line `from` on match. */
  count(pattern: RegExp, from?: number): number;
}

export async function faultyFleet(daemon: Record<string, unknown> = {}): Promise<FaultyFleet> {
  const f = await fleet({
    machines: ["a", "b", "c"],
    repositories: ["to-a", "local", "from-a", "from-c"],
    setupAws: true,
    config: () => ({ daemon: { heartbeatSeconds: 5, reconcileMinutes: 60, ...daemon } }),
  });
  const proxies = {} as Record<AwsService, FaultProxy>;
  try {
    for (const service of SERVICES) proxies[service] = await faultProxy(f.emulators[service]);
    const proxied = {
      AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
      AWS_ENDPOINT_URL_SNS: proxies.sns.url,
      AWS_ENDPOINT_URL_SQS: proxies.sqs.url,
    };
    for (const machine of ["a", "b", "c"]) await f.ok(machine, ["hooks", "install"]);
    const daemonA = await f.start("a", ["run"], { env: proxied });
    const daemonB = await f.start("b");
    await daemonA.waitForLine(/Watching 4 repositories/, 30_000);
    await daemonB.waitForLine(/Watching 4 repositories/, 30_000);
    const [a, b, c] = ["a", "b", "c"].map((m) => f.machine(m));
    let untracked = 0;
    return {
      f,
      proxies,
      daemonA,
      daemonB,
      async setAll(mode) {
        for (const service of SERVICES) await proxies[service].set(mode);
      },
      async pushToA(label) {
        const sha = await b!.commitFile("to-a", `${label}.txt`, `${label}\n`, `b: ${label}`);
        const push = await f.gitPush("b", "to-a");
        if (push.code !== 0) throw new Error(`b's push of to-a failed: ${push.stderr}`);
        return sha;
      },
      async changeOnA(label) {
        await Deno.writeTextFile(join(a!.repoPath("local"), `${label}.txt`), `${label}\n`);
        return ++untracked;
      },
      async pushFromA(label) {
        const sha = await a!.commitFile("from-a", `${label}.txt`, `${label}\n`, `a: ${label}`);
        return { sha, push: await f.gitPush("a", "from-a", [], proxied) };
      },
      async pushFromC(label) {
        await c!.commitFile("from-c", `${label}.txt`, `${label}\n`, `c: ${label}`);
        return await f.gitPush("c", "from-c", [], { AWS_ENDPOINT_URL_SNS: proxies.sns.url });
      },
      headOf: (machine, repo) => f.machine(machine).head(repo),
      async storedUntracked() {
        using aws = awsClients(f.emulators);
        const { Item } = await aws.dynamodb.send(
          new GetItemCommand({
            TableName: "gitargus",
            Key: { hostname: { S: "a" }, key: { S: "REPO#local" } },
          }),
        );
        const data = Item?.data?.S;
        return data ? (JSON.parse(data) as { changes: { untracked: number } }).changes.untracked : null;
      },
      async storedRepositories() {
        using aws = awsClients(f.emulators);
        const { Items } = await aws.dynamodb.send(
          new QueryCommand({
            TableName: "gitargus",
            KeyConditionExpression: "hostname = :h AND begins_with(#k, :p)",
            ExpressionAttributeNames: { "#k": "key" },
            ExpressionAttributeValues: { ":h": { S: "a" }, ":p": { S: "REPO#" } },
          }),
        );
        return (Items ?? []).map((item) => item.key?.S?.slice("REPO#".length) ?? "").sort();
      },
      count: (pattern, from = 0) =>
        daemonA.output().split("\n").slice(from).filter((line) => pattern.test(line)).length,
      async [Symbol.asyncDispose]() {
        await f[Symbol.asyncDispose]();
        for (const proxy of Object.values(proxies)) await proxy[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await f[Symbol.asyncDispose]();
    for (const proxy of Object.values(proxies)) await proxy[Symbol.asyncDispose]();
    throw error;
  }
}

/**
 * Keeps a fault in place for `ms`. The length of an outage is what such a test is about, so this is the one
 * wait on time rather than on an observable fact.
 */
export function holdFault(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds from `since` until `check` holds, polling every 50 ms, failing after `timeoutMs`. */
export async function msUntil(
  what: string,
  since: number,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  for (let i = 0; i < timeoutMs / 50 + 1; i++) {
    if (await check().catch(() => false)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

export interface CycleTimeouts {
  /** How long the daemon may take to notice the fault: a long poll only gives up after its wait. */
  noticeMs: number;
  recoverMs: number;
}

/**
 * One fault on all three services of machine a at once, then pass again. While the fault holds, b pushes to
 * a, a's working copy changes, a pushes, and c pushes with its hook publishing itself through the fault;
 * every push returns within the hook's bound. When `outage` is set, each service's outage is logged once at
 * its start and once at its end. After the fault, all three paths catch up, and the daemon is still running.
 */
export async function faultCycle(
  ff: FaultyFleet,
  mode: FaultMode,
  outage: boolean,
  timeouts: CycleTimeouts = { noticeMs: 30_000, recoverMs: 15_000 },
): Promise<void> {
  let exited = false;
  void ff.daemonA.exited.then(() => exited = true);
  const from = ff.daemonA.lineCount();
  await ff.setAll(mode);
  const incoming = await ff.pushToA(mode);
  const untracked = await ff.changeOnA(mode);
  const outgoing = await ff.pushFromA(mode);
  const own = await ff.pushFromC(mode);
  for (const [who, push] of [["a", outgoing.push], ["c", own]] as const) {
    if (push.code !== 0) throw new Error(`${who}'s push under ${mode} failed: ${push.stderr}`);
    assertBound(`${who}'s push under ${mode}`, push.ms, HOOK_BOUND_MS);
  }
  if (outage) {
    for (const service of SERVICES) {
      await ff.daemonA.waitForLine(OUTAGE_START[service], timeouts.noticeMs, { fromLine: from });
    }
  }
  await ff.setAll("pass");
  await waitFor(
    `a at b's push after ${mode}`,
    async () => (await ff.headOf("a", "to-a")) === incoming,
    timeouts.recoverMs,
  );
  await waitFor(
    `a's change stored after ${mode}`,
    async () => (await ff.storedUntracked()) === untracked,
    timeouts.recoverMs,
  );
  await waitFor(
    `b at a's push after ${mode}`,
    async () => (await ff.headOf("b", "from-a")) === outgoing.sha,
    timeouts.recoverMs,
  );
  for (const service of SERVICES) {
    if (outage) await ff.daemonA.waitForLine(OUTAGE_END[service], timeouts.recoverMs, { fromLine: from });
    const expected = outage ? 1 : 0;
    assertCount(
      `${service} outage starts under ${mode}`,
      ff.count(OUTAGE_START[service], from),
      expected,
      ff,
    );
    assertCount(`${service} outage ends under ${mode}`, ff.count(OUTAGE_END[service], from), expected, ff);
  }
  if (exited) throw new Error(`a's daemon exited under ${mode}`);
}

function assertBound(what: string, ms: number, bound: number): void {
  if (ms >= bound) throw new Error(`${what} took ${Math.round(ms)} ms, more than ${bound} ms`);
}

function assertCount(what: string, actual: number, expected: number, ff: FaultyFleet): void {
  if (actual === expected) return;
  ff.daemonA.failed = true;
  throw new Error(`${what}: ${actual} lines, expected ${expected}`);
}
