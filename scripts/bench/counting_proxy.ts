/** A loopback proxy in front of the DynamoDB emulator that counts the requests the daemon makes. */

export interface CountingProxy extends AsyncDisposable {
  url: string;
  /** PutItem requests for repository items (the host heartbeat is counted apart). */
  repositoryWrites(): number;
  hostWrites(): number;
  requests(): number;
  /** Requests of one DynamoDB action (`Scan`, `PutItem`, ...). */
  action(name: string): number;
  /** Requests so far per action, for any service speaking AWS's JSON protocol (DynamoDB, SQS). */
  actions(): Record<string, number>;
}

export function countingProxy(target: string): CountingProxy {
  let repositoryWrites = 0;
  let hostWrites = 0;
  let requests = 0;
  const actions = new Map<string, number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    requests++;
    const action = request.headers.get("x-amz-target")?.split(".").pop() ?? "";
    actions.set(action, (actions.get(action) ?? 0) + 1);
    const body = await request.arrayBuffer();
    if (request.headers.get("x-amz-target")?.endsWith(".PutItem")) {
      const text = new TextDecoder().decode(body);
      if (text.includes('"REPO#')) repositoryWrites++;
      else hostWrites++;
    }
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    return await fetch(target + url.pathname + url.search, { method: request.method, headers, body });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    repositoryWrites: () => repositoryWrites,
    hostWrites: () => hostWrites,
    requests: () => requests,
    action: (name) => actions.get(name) ?? 0,
    actions: () => Object.fromEntries(actions),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
