/** A loopback proxy in front of the DynamoDB emulator that counts the requests the daemon makes. */

export interface CountingProxy extends AsyncDisposable {
  url: string;
  /** PutItem requests for repository items (the host heartbeat is counted apart). */
  repositoryWrites(): number;
  hostWrites(): number;
  requests(): number;
}

export function countingProxy(target: string): CountingProxy {
  let repositoryWrites = 0;
  let hostWrites = 0;
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    requests++;
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
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
