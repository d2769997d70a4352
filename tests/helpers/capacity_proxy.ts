/**
 * A loopback HTTP proxy in front of the DynamoDB emulator that behaves like a small provisioned table: each
 * second allows `units` reads and `units` writes (one per item) and answers the rest as DynamoDB does when
 * capacity runs out, HTTP 400 ProvisionedThroughputExceededException. The emulators bill nothing, so a
 * throttled provisioned table cannot be had from them otherwise.
 */

const WRITES = new Set(["PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem"]);
const READS = new Set(["Query", "Scan", "GetItem", "BatchGetItem"]);

export interface CapacityProxy extends AsyncDisposable {
  url: string;
  /** Requests refused for want of capacity, and requests passed on. */
  stats(): { throttled: number; passed: number };
}

export function capacityProxy(target: string, units: number): CapacityProxy {
  let second = 0;
  const used = { read: 0, write: 0 };
  let throttled = 0;
  let passed = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const action = request.headers.get("x-amz-target")?.split(".").pop() ?? "";
    const body = await request.arrayBuffer();
    const kind = WRITES.has(action) ? "write" : READS.has(action) ? "read" : null;
    if (kind) {
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) [second, used.read, used.write] = [now, 0, 0];
      const cost = action === "BatchWriteItem"
        ? (new TextDecoder().decode(body).match(/Request"/g)?.length ?? 1)
        : 1;
      if (used[kind] + cost > units) {
        throttled++;
        return Response.json({
          __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
          message: "The level of configured provisioned throughput for the table was exceeded.",
        }, { status: 400, headers: { "content-type": "application/x-amz-json-1.0" } });
      }
      used[kind] += cost;
    }
    passed++;
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    return await fetch(target + url.pathname + url.search, { method: request.method, headers, body });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    stats: () => ({ throttled, passed }),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
