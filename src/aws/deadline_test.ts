import assert from "node:assert/strict";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DeadlineExceeded, deadlineFor, withCallDeadlines, withDeadline } from "./deadline.ts";

/** A loopback peer that accepts and reads every byte but never answers: a half-open connection. */
function silentPeer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  let closedByClient = 0;
  void (async () => {
    try {
      for await (const conn of listener) {
        conns.add(conn);
        void (async () => {
          const buffer = new Uint8Array(16 * 1024);
          try {
            while ((await conn.read(buffer)) !== null) { /* never answered */ }
            closedByClient++;
          } catch { /* closed at dispose */ }
        })();
      }
    } catch { /* closed at dispose */ }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    closedByClient: () => closedByClient,
    [Symbol.dispose]() {
      listener.close();
      for (const conn of conns) conn.close();
    },
  };
}

function clientOf(url: string): DynamoDBClient {
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    // Far beyond the deadline: only the deadline may end the call.
    requestHandler: { requestTimeout: 60_000, connectionTimeout: 60_000 },
  });
}

Deno.test("withCallDeadlines() ends a call to a peer that never answers at the deadline and drops its connection", async () => {
  using peer = silentPeer();
  const client = withCallDeadlines(clientOf(peer.url), 300);
  try {
    await assert.rejects(
      () => client.send(new ListTablesCommand({})),
      (error: Error) => error instanceof DeadlineExceeded && error.message === "no answer within 0.3 s",
    );
    for (let i = 0; i < 50 && peer.closedByClient() === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(peer.closedByClient(), 1, "the aborted request closed its socket");
  } finally {
    client.destroy();
  }
});

Deno.test("withCallDeadlines() ends the call at once when the caller's signal aborts, with the caller's reason", async () => {
  using peer = silentPeer();
  const client = withCallDeadlines(clientOf(peer.url), 30_000);
  const stop = new AbortController();
  setTimeout(() => stop.abort(new Error("daemon stopping")), 50);
  try {
    await assert.rejects(
      () => client.send(new ListTablesCommand({}), { abortSignal: stop.signal }),
      /daemon stopping/,
    );
  } finally {
    client.destroy();
  }
});

Deno.test("a long poll's deadline is its wait plus a margin; any other call has the plain deadline", () => {
  assert.equal(deadlineFor({ QueueUrl: "q", WaitTimeSeconds: 20 }), 25_000);
  assert.equal(deadlineFor({ QueueUrl: "q", WaitTimeSeconds: 0 }), 8_000);
  assert.equal(deadlineFor({ TableName: "t" }), 8_000);
  assert.equal(deadlineFor(undefined, 2_000), 2_000);
});

Deno.test("withDeadline() settles at the deadline even when the work ignores its signal", async () => {
  await assert.rejects(() => withDeadline(50, () => new Promise<never>(() => {})), DeadlineExceeded);
});

Deno.test("withDeadline() passes a result and an error through unchanged", async () => {
  assert.equal(await withDeadline(1000, () => Promise.resolve(42)), 42);
  await assert.rejects(
    () => withDeadline(1000, () => Promise.reject(new Error("refused"))),
    /^Error: refused$/,
  );
  await assert.rejects(() =>
    withDeadline(1000, () => {
      throw new Error("at once");
    }), /at once/);
});

Deno.test("withDeadline() refuses to start once the outer signal has aborted", async () => {
  let started = false;
  await assert.rejects(
    () =>
      withDeadline(1000, () => (started = true, Promise.resolve()), AbortSignal.abort(new Error("stopped"))),
    /stopped/,
  );
  assert.equal(started, false);
});
