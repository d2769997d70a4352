import assert from "node:assert/strict";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { parse } from "yaml";
import { startEmulators } from "../../scripts/emulators.ts";
import { awsClients, startEmulatorProcess, unusedLoopbackUrl } from "./emulators.ts";
import { gitWorkspace } from "./git_fixture.ts";
import { runCli, startCli, waitFor } from "./cli.ts";

Deno.test("startEmulatorProcess() serves DynamoDB, SNS and SQS at the endpoints it reports", async () => {
  await using emulators = await startEmulatorProcess();
  using aws = awsClients(emulators);
  const tables = await aws.dynamodb.send(new ListTablesCommand({}));
  assert.deepEqual(tables.TableNames, []);
  const queue = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: "events.fifo", Attributes: { FifoQueue: "true" } }),
  );
  assert.match(queue.QueueUrl ?? "", /events\.fifo$/);
  const topic = await aws.sns.send(
    new CreateTopicCommand({ Name: "pushes.fifo", Attributes: { FifoTopic: "true" } }),
  );
  assert.match(topic.TopicArn ?? "", /:pushes\.fifo$/);
  assert.equal(emulators.env().AWS_ENDPOINT_URL_DYNAMODB, emulators.dynamodb);
});

Deno.test("a request cut short by its client leaves both emulators serving", async () => {
  await using emulators = await startEmulatorProcess();
  for (const endpoint of [emulators.dynamodb, emulators.sqs]) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(endpoint).port) });
    const head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n" +
      "Content-Length: 100\r\n\r\n{";
    await conn.write(new TextEncoder().encode(head));
    await conn.closeWrite();
    // The server sees the end of the request's body before the promised 100 bytes, then the close.
    await new Promise((resolve) => setTimeout(resolve, 300));
    conn.close();
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  using aws = awsClients(emulators);
  assert.deepEqual((await aws.dynamodb.send(new ListTablesCommand({}))).TableNames, []);
  const queue = await aws.sqs.send(new CreateQueueCommand({ QueueName: "after-cut" }));
  assert.match(queue.QueueUrl ?? "", /after-cut$/);
});

Deno.test("startEmulators() runs the emulators in this process and stops them on dispose", async () => {
  await using emulators = await startEmulators();
  using aws = awsClients(emulators);
  assert.deepEqual((await aws.dynamodb.send(new ListTablesCommand({}))).TableNames, []);
});

Deno.test("unusedLoopbackUrl() names a port that refuses connections", async () => {
  const url = await unusedLoopbackUrl();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const port = Number(new URL(url).port);
  await assert.rejects(() => Deno.connect({ hostname: "127.0.0.1", port }));
});

Deno.test("gitWorkspace() gives machines clones of one origin, so a push on one is fetched by another", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1", "project1/repo1"] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  assert.equal(await a.head("project1/repo1"), await ws.originHead("project1/repo1"));
  assert.equal(await a.git("repo1", "config", "user.name"), "a");
  assert.equal(await a.git("repo1", "rev-parse", "--abbrev-ref", "@{upstream}"), "origin/main");

  const sha = await a.commitFile("repo1", "src/change.txt", "hello\n", "Add change");
  await a.push("repo1");
  assert.equal(await ws.originHead("repo1"), sha);
  await b.git("repo1", "fetch", "--quiet");
  assert.equal(await b.git("repo1", "rev-parse", "origin/main"), sha);
  assert.notEqual(await b.head("repo1"), sha);

  const c = await ws.addMachine("c");
  assert.equal(await c.head("repo1"), sha);
});

Deno.test("Machine.writeConfig() writes the fixture's repositories merged with the test's keys", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const file = await a.writeConfig({ aws: { dynamodb: { table: "t" }, sqs: { queue: "q" } } });
  assert.equal(file, join(a.home, ".gitargus", "config.yml"));
  assert.deepEqual(parse(await Deno.readTextFile(file)), {
    hostname: "a",
    root: a.workspace,
    repositories: ["repo1"],
    aws: { dynamodb: { table: "t" }, sqs: { queue: "q" } },
  });
});

/** A stand-in entry that reports what the CLI would see, until main.ts exists. */
async function probeScript(dir: string): Promise<string> {
  const entry = join(dir, "probe.ts");
  await Deno.writeTextFile(
    entry,
    `const input = await new Response(Deno.stdin.readable).text();
console.log(JSON.stringify({ args: Deno.args, home: Deno.env.get("HOME") ?? null,
  aws: Deno.env.get("AWS_ACCESS_KEY_ID") ?? null, input }));
console.error("to stderr");
Deno.exitCode = 3;
`,
  );
  return entry;
}

Deno.test("runCli() runs with the real flags and only the environment it is given", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: [] });
  const entry = await probeScript(ws.root);
  const result = await runCli(["status", "--json"], {
    env: { HOME: ws.machine("a").home },
    stdin: "in",
    entry,
  });
  assert.equal(result.code, 3);
  assert.equal(result.stderr, "to stderr\n");
  assert.deepEqual(JSON.parse(result.stdout), {
    args: ["status", "--json"],
    home: ws.machine("a").home,
    aws: null,
    input: "in",
  });
});

Deno.test("runCli() kills a CLI that outlives its timeout and reports its output", async () => {
  await using ws = await gitWorkspace({ machines: [], repositories: [] });
  const entry = join(ws.root, "hang.ts");
  await Deno.writeTextFile(entry, `console.log("started");\nsetInterval(() => {}, 1000);\n`);
  await assert.rejects(
    () => runCli([], { env: {}, entry, timeoutMs: 500 }),
    /did not exit within 500 ms\nstdout:\nstarted/,
  );
});

Deno.test("startCli() waits for a line, then stops the process with a signal", async () => {
  await using ws = await gitWorkspace({ machines: [], repositories: [] });
  const entry = join(ws.root, "daemon.ts");
  await Deno.writeTextFile(
    entry,
    `Deno.addSignalListener("SIGTERM", () => { console.log("stopping"); Deno.exit(0); });
console.error("ready");
setInterval(() => {}, 1000);
`,
  );
  await using cli = await startCli([], { env: {}, entry });
  assert.equal(await cli.waitForLine(/^ready$/, 15_000), "ready");
  const mark = cli.lineCount();
  await assert.rejects(() => cli.waitForLine(/^ready$/, 200, { fromLine: mark }), /No line matching/);
  cli.failed = false;
  assert.equal(await cli.stop(), 0);
  assert.match(cli.output(), /ready\nstopping\n/);
});

Deno.test("waitFor() returns the first accepted value and names what it waited for on timeout", async () => {
  let calls = 0;
  assert.equal(await waitFor("third call", () => Promise.resolve(++calls >= 3 && calls), 1_000, 1), 3);
  await assert.rejects(
    () => waitFor("a sha", () => Promise.reject(new Error("unknown revision")), 50, 10),
    /waiting for a sha; last seen: Error: unknown revision/,
  );
});
