/**
 * The AWS emulators in a child process, reached over the network at the endpoints passed through the
 * environment, as the CLI under test reaches real AWS. The test's own event loop stays free for the polling
 * it does, and an emulator that hangs cannot hang the test runner: dispose kills it.
 */

import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Emulators, ReadyLine } from "../../scripts/emulators.ts";
import { OutputLog, stopChild } from "./_process.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/emulators.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export const TEST_REGION = "us-east-1";
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

export interface EmulatorHandle extends Emulators, AsyncDisposable {
  /** Variables that point the AWS SDK (and so the CLI) at these emulators with dummy credentials. */
  env(): Record<string, string>;
  /** Everything the emulator process wrote so far, both streams. */
  output(): string;
  /**
   * Stops the emulators and starts fresh ones on the same ports: every table, topic and queue is gone, as
   * after an account or emulator reset, and clients find the new emulators at the old endpoints.
   */
  restart(): Promise<void>;
}

export async function startEmulatorProcess(): Promise<EmulatorHandle> {
  let current = await spawnEmulators();
  const { ready } = current;
  let earlier = "";
  return {
    dynamodb: ready.dynamodb,
    sns: ready.sns,
    sqs: ready.sqs,
    env: () => ({
      AWS_ENDPOINT_URL_DYNAMODB: ready.dynamodb,
      AWS_ENDPOINT_URL_SNS: ready.sns,
      AWS_ENDPOINT_URL_SQS: ready.sqs,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    }),
    output: () => earlier + current.output(),
    async restart() {
      await current.stop();
      earlier += current.output();
      const ports = { dynamodb: Number(new URL(ready.dynamodb).port), sqs: Number(new URL(ready.sqs).port) };
      current = await spawnEmulators(ports);
    },
    [Symbol.asyncDispose]: () => current.stop(),
  };
}

interface EmulatorChild {
  ready: ReadyLine;
  output(): string;
  stop(): Promise<void>;
}

async function spawnEmulators(ports?: { dynamodb: number; sqs: number }): Promise<EmulatorChild> {
  const portArgs = ports ? [`--ports=${ports.dynamodb},${ports.sqs}`] : [];
  const child = new Deno.Command(Deno.execPath(), {
    // --quiet: Deno's note about a skipped npm build script would otherwise land on stderr at every start.
    args: ["run", "--quiet", "--no-prompt", "-A", `--config=${CONFIG}`, SCRIPT, ...portArgs],
    // Held open until dispose: its end stops the emulators even if this process dies without cleaning up.
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdin = child.stdin.getWriter();
  const output = new OutputLog({ stdout: child.stdout, stderr: child.stderr });
  let stopped: Promise<void> | undefined;
  // Every endpoint of a test refusing at once means this process ended: say how, where the test's output is.
  void (async () => {
    const status = await child.status;
    if (stopped) return;
    await output.ended;
    const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
    console.error(`The emulators' process ${child.pid} ended by itself (${how})${output.tail()}`);
  })();
  const stop = () => {
    stopped ??= (async () => {
      await stdin.close().catch(() => {});
      await stopChild(child);
      await output.ended;
    })();
    return stopped;
  };

  let ready: ReadyLine;
  try {
    const { line } = await output.waitForLine(
      "emulator ready line",
      (line) => line.stream === "stdout" && parseReadyLine(line.text) !== undefined,
      READY_TIMEOUT_MS,
    );
    ready = parseReadyLine(line.text)!;
  } catch (error) {
    await stop();
    throw error;
  }
  return { ready, output: () => output.text(), stop };
}

export interface AwsClients extends Disposable {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  sqs: SQSClient;
}

/** SDK clients for a test's own setup and assertions; dispose closes their sockets. */
export function awsClients(emulators: Emulators): AwsClients {
  const common = { region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: emulators.dynamodb });
  const sns = new SNSClient({ ...common, endpoint: emulators.sns });
  const sqs = new SQSClient({ ...common, endpoint: emulators.sqs });
  return {
    dynamodb,
    sns,
    sqs,
    [Symbol.dispose]() {
      dynamodb.destroy();
      sns.destroy();
      sqs.destroy();
    },
  };
}

/** A loopback URL nothing listens on (free a moment ago): an AWS endpoint that refuses every connection. */
export function unusedLoopbackUrl(): Promise<string> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return Promise.resolve(`http://127.0.0.1:${port}`);
}

function parseReadyLine(line: string): ReadyLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    if (value.ready === true && value.dynamodb && value.sns && value.sqs) return value as ReadyLine;
  } catch {
    // Not the ready line.
  }
  return undefined;
}
