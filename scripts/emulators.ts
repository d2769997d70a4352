/**
 * Local AWS emulators for tests and the demo: DynamoDB (dynalite) and SNS + SQS (fauxqs), each on a free
 * loopback port.
 *
 * As a program (`deno run --quiet -A scripts/emulators.ts`) it prints one JSON line to stdout,
 * `{"ready":true,"dynamodb":"http://127.0.0.1:PORT","sns":"...","sqs":"..."}`, and serves until SIGTERM,
 * SIGINT or the end of stdin, then stops both emulators and exits 0. The end of stdin is how a parent that
 * dies without signalling still takes its emulators with it; a caller that wants them to outlive its own
 * input must hold stdin open. `--quiet` keeps Deno's note about the skipped build script of an optional
 * dynalite dependency off stderr.
 *
 * `--ports=DYNAMODB,SQS` serves on those ports instead, so a restarted emulator is found where the old one
 * was (an account reset as a running daemon sees it).
 *
 * Imported, `startEmulators()` runs both in the calling process.
 */

import type { IncomingMessage, Server } from "node:http";
import dynalite from "npm:dynalite@4.0.0";
import { startFauxqs } from "npm:fauxqs@2.4.1";

const HOST = "127.0.0.1";

export interface Emulators {
  /** Endpoint URL of the DynamoDB emulator. */
  dynamodb: string;
  /** Endpoint URL of the SNS emulator (the same server as SQS). */
  sns: string;
  /** Endpoint URL of the SQS emulator. */
  sqs: string;
}

/** The ready line printed by the program, parsed. */
export interface ReadyLine extends Emulators {
  ready: true;
}

export interface EmulatorPorts {
  dynamodb: number;
  sqs: number;
}

export async function startEmulators(ports?: EmulatorPorts): Promise<Emulators & AsyncDisposable> {
  const dynamo = await listenDynalite(ports?.dynamodb ?? 0);
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  try {
    fauxqs = await startFauxqs({ port: ports?.sqs ?? 0, logger: false, host: HOST });
  } catch (error) {
    await closeServer(dynamo.server);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    dynamodb: dynamo.url,
    sns: fauxqs.address,
    sqs: fauxqs.address,
    [Symbol.asyncDispose]() {
      stopped ??= settleAll([fauxqs.stop(), closeServer(dynamo.server)]);
      return stopped;
    },
  };
}

async function listenDynalite(port: number): Promise<{ server: Server; url: string }> {
  // Tables become ACTIVE at once: a test never waits on an emulated provisioning delay.
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite rethrows every error of a request, and a client hanging up in the middle of one (the fault
  // proxy does, on purpose) is such an error: the throw ended the whole process, and every other test's
  // endpoints with it. Its handler has run when this listener does; the request then just ends unanswered.
  server.on("request", (request: IncomingMessage) => {
    request.removeAllListeners("error");
    request.on("error", () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    await closeServer(server);
    throw new Error(`Cannot read the port of the DynamoDB emulator: ${JSON.stringify(address)}`);
  }
  return { server, url: `http://${HOST}:${address.port}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // An SDK client keeps sockets alive; close() alone would wait for them.
    server.closeAllConnections();
  });
}

/** Waits for every step, then throws the first failure: one failing stop never leaves the other running. */
async function settleAll(steps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  for (const result of results) {
    if (result.status === "rejected") throw result.reason;
  }
}

/** Resolves on SIGTERM, SIGINT or the end of stdin, then releases all three so the process can exit. */
async function untilStopRequested(): Promise<string> {
  const reader = Deno.stdin.readable.getReader();
  const signals: Deno.Signal[] = ["SIGTERM", "SIGINT"];
  const handlers: Array<[Deno.Signal, () => void]> = [];
  const signalled = new Promise<string>((resolve) => {
    for (const signal of signals) {
      const handler = () => resolve(signal);
      handlers.push([signal, handler]);
      Deno.addSignalListener(signal, handler);
    }
  });
  const inputEnded = (async () => {
    try {
      while (!(await reader.read()).done) {
        // Input carries no commands; only its end matters.
      }
    } catch {
      // A closed or broken stdin is an end like any other.
    }
    return "end of stdin";
  })();
  try {
    return await Promise.race([signalled, inputEnded]);
  } finally {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    // A pending read would keep the process alive after the emulators stop.
    await reader.cancel().catch(() => {});
  }
}

function portsArgument(args: string[]): EmulatorPorts | undefined {
  const value = args.find((arg) => arg.startsWith("--ports="))?.slice("--ports=".length);
  if (!value) return undefined;
  const [dynamodb, sqs] = value.split(",").map(Number);
  if (!Number.isInteger(dynamodb) || !Number.isInteger(sqs)) {
    throw new Error(`Invalid --ports "${value}": expected two port numbers, DYNAMODB,SQS`);
  }
  return { dynamodb: dynamodb!, sqs: sqs! };
}

if (import.meta.main) {
  const emulators = await startEmulators(portsArgument(Deno.args));
  const ready: ReadyLine = {
    ready: true,
    dynamodb: emulators.dynamodb,
    sns: emulators.sns,
    sqs: emulators.sqs,
  };
  console.log(JSON.stringify(ready));
  await untilStopRequested();
  await emulators[Symbol.asyncDispose]();
}
