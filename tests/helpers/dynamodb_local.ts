/**
 * AWS's own DynamoDB Local (a Java program) on a free loopback port, so the store's tests can run against it
 * as well as against dynalite. The jar comes from the npm package amplify-dynamodb-simulator, unpacked by
 * .ci/run into `.cache/dynamodb-local/` (ignored by git); Java from the system (Debian's
 * default-jre-headless). GITARGUS_DYNAMODB_LOCAL_DIR names another folder holding the jar. Where either is
 * missing the tests say so and skip, unless GITARGUS_REQUIRE_DYNAMODB_LOCAL is set (CI sets it), where they
 * fail instead.
 */

import { fileURLToPath } from "node:url";
import { OutputLog, stopChild } from "./_process.ts";

const DEFAULT_DIR = fileURLToPath(new URL("../../.cache/dynamodb-local/package/emulator", import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export type Availability = { ok: true; dir: string } | { ok: false; reason: string };

/** Whether Java and the jar are here; the reason names what to install when not. */
export async function dynamoDbLocalAvailability(): Promise<Availability> {
  const dir = Deno.env.get("GITARGUS_DYNAMODB_LOCAL_DIR") ?? DEFAULT_DIR;
  try {
    await Deno.stat(`${dir}/DynamoDBLocal.jar`);
  } catch {
    return {
      ok: false,
      reason:
        `no DynamoDBLocal.jar in ${dir} (.ci/run unpacks the npm package amplify-dynamodb-simulator there)`,
    };
  }
  try {
    const { success } = await new Deno.Command("java", { args: ["-version"], stdout: "null", stderr: "null" })
      .output();
    if (!success) return { ok: false, reason: "`java -version` failed (install default-jre-headless)" };
  } catch {
    return { ok: false, reason: "no java on PATH (install default-jre-headless)" };
  }
  return { ok: true, dir };
}

/** True when a missing DynamoDB Local must fail the run rather than skip its tests. */
export function dynamoDbLocalRequired(): boolean {
  return Boolean(Deno.env.get("GITARGUS_REQUIRE_DYNAMODB_LOCAL"));
}

export interface DynamoDbLocal extends AsyncDisposable {
  endpoint: string;
  output(): string;
}

/**
 * A port free a moment ago can be taken by another process before the JVM binds it (the machine runs other
 * test suites): then the JVM exits, or the port answers as something else. Either way, another port.
 */
export async function startDynamoDbLocal(dir: string): Promise<DynamoDbLocal> {
  const failures: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOnce(dir, freePort());
    if ("endpoint" in started) return started;
    failures.push(started.failure);
  }
  throw new Error(`DynamoDB Local did not start:\n${failures.join("\n")}`);
}

async function startOnce(dir: string, port: number): Promise<DynamoDbLocal | { failure: string }> {
  const child = new Deno.Command("java", {
    args: [
      // The suite's data is a few MB; the JVM's default heap (a quarter of the machine) is not needed.
      "-Xmx512m",
      `-Djava.library.path=${dir}/DynamoDBLocal_lib`,
      "-jar",
      `${dir}/DynamoDBLocal.jar`,
      "-inMemory",
      "-port",
      String(port),
    ],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new OutputLog({ stdout: child.stdout, stderr: child.stderr });
  const stop = async () => {
    await stopChild(child);
    await output.ended;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await untilAnswering(endpoint, child);
  } catch (error) {
    await stop();
    return { failure: `port ${port}: ${(error as Error).message}\n${output.text()}` };
  }
  return { endpoint, output: () => output.text(), [Symbol.asyncDispose]: stop };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Polls until ListTables answers as DynamoDB does, while this JVM still runs; it prints nothing reliable to
 * wait for.
 */
async function untilAnswering(endpoint: string, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  for (let attempt = 0; attempt < 1000; attempt++) {
    if (exited) throw new Error("the java process exited");
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "DynamoDB_20120810.ListTables",
          authorization:
            "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        },
        body: "{}",
      });
      const body = await response.text();
      if (response.ok && body.includes("TableNames")) {
        if (!exited) return;
      }
      last = `HTTP ${response.status}: ${body.slice(0, 120)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no DynamoDB answer within ${READY_TIMEOUT_MS} ms (last: ${last})`);
}
