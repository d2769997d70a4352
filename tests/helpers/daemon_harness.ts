/**
 * One machine's daemon in the test process, reading its own real SQS FIFO queue on the emulator, on real
 * clones; the store is in memory (the store's own behaviour is tested on the emulator). Its log lines are
 * collected, and every git process it starts is counted.
 */

import { configure, type LogRecord } from "@logtape/logtape";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { daemonConfig } from "./local_daemon.ts";
import { Daemon } from "../../src/daemon/daemon.ts";
import { type Clock, systemClock } from "../../src/util/clock.ts";
import { SqsSubscriber } from "../../src/events/subscriber.ts";
import {
  DenoGitRunner,
  gitEnvironment,
  type GitResult,
  type GitRunner,
  type GitRunOptions,
} from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";
import type { AutoPull, Config } from "../../src/config/types.ts";
import type { Machine } from "./git_fixture.ts";
import { type AwsClients, awsClients, startEmulatorProcess } from "./emulators.ts";
import { waitFor } from "./cli.ts";

/** Wraps the real runner: records where git ran, and how many fetches of one repository overlapped. */
export class CountingGitRunner implements GitRunner {
  readonly cwds = new Set<string>();
  readonly commands = new Map<string, number>();
  fetches = 0;
  maxFetchesPerRepository = 0;
  readonly #fetching = new Map<string, number>();

  constructor(private readonly inner: GitRunner) {}

  get runs(): number {
    return [...this.commands.values()].reduce((sum, n) => sum + n, 0);
  }

  async run(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    this.cwds.add(options.cwd);
    this.commands.set(args[0] ?? "", (this.commands.get(args[0] ?? "") ?? 0) + 1);
    if (args[0] !== "fetch") return await this.inner.run(args, options);
    this.fetches++;
    const running = (this.#fetching.get(options.cwd) ?? 0) + 1;
    this.#fetching.set(options.cwd, running);
    this.maxFetchesPerRepository = Math.max(this.maxFetchesPerRepository, running);
    try {
      return await this.inner.run(args, options);
    } finally {
      this.#fetching.set(options.cwd, this.#fetching.get(options.cwd)! - 1);
    }
  }
}

/** Creates the machine's FIFO queue, as `setup-aws` does, and returns its URL. */
export async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true", VisibilityTimeout: "60" } }),
  );
  if (!QueueUrl) throw new Error(`The emulator returned no URL for queue "${name}"`);
  return QueueUrl;
}

export interface QueuedBody {
  body: string;
  group: string;
}

/** Sends bodies straight to the queue, in order, ten per call; returns the message ids in the same order. */
export async function sendBodies(
  sqs: SQSClient,
  url: string,
  bodies: readonly QueuedBody[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const batch = bodies.slice(start, start + 10);
    const { Successful = [], Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: batch.map((b, i) => ({
          Id: String(i),
          MessageBody: b.body,
          MessageGroupId: b.group,
          MessageDeduplicationId: crypto.randomUUID(),
        })),
      }),
    );
    if (Failed.length > 0) throw new Error(`The emulator refused messages: ${JSON.stringify(Failed)}`);
    const byEntry = new Map(Successful.map((s) => [s.Id, s.MessageId ?? ""]));
    ids.push(...batch.map((_, i) => byEntry.get(String(i)) ?? ""));
  }
  return ids;
}

/** Messages waiting plus messages received and not yet deleted. */
export async function messagesLeft(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
}

export interface RunningDaemon extends AsyncDisposable {
  daemon: Daemon;
  runner: CountingGitRunner;
  store: MemoryStore;
  /** Every log line so far, rendered as the daemon would print its message. */
  lines(): string[];
}

export interface DaemonOptions {
  machine: Machine;
  repositories: readonly string[];
  sqs: SQSClient;
  /** The queue to read; `<machine>.fifo` by default. */
  queue?: string;
  clock?: Clock;
  /** Added to the environment git runs with (a GIT_SSH_COMMAND for a remote that hangs). */
  gitEnv?: Record<string, string>;
  config?: Partial<Config["daemon"]>;
  /** The policy of every repository (default true). */
  autoPull?: AutoPull;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const records: LogRecord[] = [];
  await configure({
    reset: true,
    sinks: { memory: (record: LogRecord) => records.push(record) },
    loggers: [
      { category: ["gitargus"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["memory"] },
    ],
  });
  const { machine } = options;
  const config = daemonConfig(machine, options.repositories);
  config.daemon = { ...config.daemon, ...options.config };
  if (options.autoPull !== undefined) {
    const autoPull = options.autoPull;
    config.autoPull = autoPull;
    config.repositories = config.repositories.map((r) => ({ ...r, autoPull }));
  }
  const env: Record<string, string> = { ...machine.env, ...options.gitEnv };
  const runner = new CountingGitRunner(
    new DenoGitRunner({
      env: gitEnvironment((name) => env[name]),
      parallelism: config.daemon.parallelism,
    }),
  );
  const store = new MemoryStore();
  const daemon = new Daemon({
    config,
    runner,
    store,
    clock: options.clock ?? systemClock,
    log: logger("daemon"),
    version: "test",
    subscriber: new SqsSubscriber(options.sqs, options.queue ?? `${machine.name}.fifo`),
  });
  const running = daemon.run();
  return {
    daemon,
    runner,
    store,
    lines: () => records.map(render),
    async [Symbol.asyncDispose]() {
      daemon.stop();
      await running;
    },
  };
}

/** A push event as a hook publishes it. */
export function pushEventBody(
  repository: string,
  refs: Array<{ ref: string; sha: string }>,
  fields: { source?: string; remote?: string } = {},
): string {
  return JSON.stringify({
    v: 1,
    type: "push",
    source: fields.source ?? "a",
    repository,
    remote: fields.remote ?? "origin",
    refs,
    at: new Date().toISOString(),
  });
}

function render(record: LogRecord): string {
  return record.message.map((part) => typeof part === "string" ? part : Deno.inspect(part)).join("");
}

export interface ReceivingMachine extends AsyncDisposable {
  aws: AwsClients;
  /** The machine's queue URL. */
  url: string;
  running: RunningDaemon;
}

/**
 * The emulators, the machine's queue and its daemon consuming it, ready once the daemon watches (its start-up
 * full update is done). Disposed in reverse: the daemon, the clients, the emulators.
 */
export async function receivingMachine(
  machine: Machine,
  repositories: readonly string[],
  options: Pick<DaemonOptions, "autoPull"> = {},
): Promise<ReceivingMachine> {
  const emulators = await startEmulatorProcess();
  const aws = awsClients(emulators);
  const url = await createQueue(aws.sqs, `${machine.name}.fifo`);
  const running = await startDaemon({ machine, repositories, sqs: aws.sqs, ...options });
  await waitFor(
    "the daemon watching",
    () => Promise.resolve(running.lines().some((l) => l.startsWith("Watching")) || undefined),
  );
  return {
    aws,
    url,
    running,
    async [Symbol.asyncDispose]() {
      await running[Symbol.asyncDispose]();
      aws[Symbol.dispose]();
      await emulators[Symbol.asyncDispose]();
    },
  };
}
