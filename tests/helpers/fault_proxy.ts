/**
 * A loopback TCP proxy between the CLI (or daemon) and one emulator, that breaks the way networks and AWS
 * break, switchable while the test runs:
 *
 *   pass       bytes flow both ways unchanged
 *   down       the port refuses connections; open connections are cut
 *   slow       every chunk waits `slowMs` before it is passed on
 *   error      every request is answered HTTP 500 (InternalServerError / InternalFailure)
 *   throttle   every request is answered HTTP 400 ThrottlingException or 503 SlowDown, alternately
 *   halfOpen   connections are accepted and read but never answered nor closed, open ones go silent: a peer
 *              that vanished without a reset
 *
 * Answers are written in the protocol the request used (JSON for DynamoDB and SQS, XML for SNS), so the SDK
 * classifies and retries them as it would real ones. A connection silenced by `halfOpen` stays silent after
 * the mode changes, as a half-open connection does; new connections get the new mode.
 */

export type FaultMode = "pass" | "down" | "slow" | "error" | "throttle" | "halfOpen";

export const FAULT_MODES: readonly FaultMode[] = ["pass", "down", "slow", "error", "throttle", "halfOpen"];

export interface FaultProxy extends AsyncDisposable {
  /** The endpoint to give the SDK instead of the emulator's. */
  readonly url: string;
  readonly mode: FaultMode;
  set(mode: FaultMode): Promise<void>;
  /** Connections accepted and requests answered with a fault, so a test can tell the fault was met. */
  stats(): { connections: number; faults: number };
}

export interface FaultProxyOptions {
  /** Delay per chunk in `slow` mode (default 1000 ms). */
  slowMs?: number;
}

export async function faultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const proxy = new LoopbackFaultProxy(new URL(target), options.slowMs ?? 1000);
  await proxy.listen(0);
  return proxy;
}

interface Link {
  client: Deno.Conn;
  upstream: Deno.Conn | null;
  /** Answered by the proxy itself (error, throttle), rather than piped. */
  answering: boolean;
  silenced: boolean;
}

class LoopbackFaultProxy implements FaultProxy {
  mode: FaultMode = "pass";
  #listener: Deno.Listener | null = null;
  #port = 0;
  readonly #links = new Set<Link>();
  #connections = 0;
  #faults = 0;
  #throttled = 0;

  constructor(private readonly target: URL, private readonly slowMs: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  stats() {
    return { connections: this.#connections, faults: this.#faults };
  }

  listen(port: number): Promise<void> {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    this.#listener = listener;
    this.#port = (listener.addr as Deno.NetAddr).port;
    void this.#accept(listener);
    return Promise.resolve();
  }

  async set(mode: FaultMode): Promise<void> {
    const previous = this.mode;
    this.mode = mode;
    if (mode === "down") {
      this.#listener?.close();
      this.#listener = null;
      for (const link of [...this.#links]) this.#close(link);
      return;
    }
    if (previous === "down") await this.listen(this.#port);
    for (const link of [...this.#links]) {
      if (link.silenced) continue;
      // A piped connection meets an answering fault on its next request through a new connection, and an
      // answering one goes back to the emulator the same way.
      const answers = mode === "error" || mode === "throttle";
      if (mode !== "halfOpen" && (answers ? !link.answering : link.answering)) this.#close(link);
    }
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const client of listener) {
        this.#connections++;
        const link: Link = { client, upstream: null, answering: false, silenced: false };
        this.#links.add(link);
        if (this.mode === "halfOpen") link.silenced = true;
        if (this.mode === "error" || this.mode === "throttle") {
          link.answering = true;
          void this.#answer(link);
        } else void this.#pipe(link);
      }
    } catch {
      // Closed by `down` or dispose.
    }
  }

  async #pipe(link: Link): Promise<void> {
    if (link.silenced) return void this.#drain(link.client, link);
    try {
      link.upstream = await Deno.connect({
        hostname: this.target.hostname,
        port: Number(this.target.port),
      });
    } catch {
      return this.#close(link);
    }
    const upstream = link.upstream;
    void this.#pump(upstream, link.client, link).then(() => {
      // A silenced client keeps its connection: it must find out by its own deadline.
      if (link.silenced) closeQuietly(upstream);
      else this.#close(link);
    });
    await this.#pump(link.client, upstream, link);
    this.#close(link);
  }

  async #pump(from: Deno.Conn, to: Deno.Conn, link: Link): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (let n = await from.read(buffer); n !== null; n = await from.read(buffer)) {
        if (link.silenced || this.mode === "halfOpen") {
          link.silenced = true;
          continue;
        }
        if (this.mode === "slow") await new Promise((resolve) => setTimeout(resolve, this.slowMs));
        await writeAll(to, buffer.subarray(0, n));
      }
    } catch {
      // Either side closed.
    }
  }

  async #drain(conn: Deno.Conn, link: Link): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while ((await conn.read(buffer)) !== null) {
        // Read and dropped: the peer sees its bytes accepted and no answer ever.
      }
    } catch {
      // Closed.
    }
    this.#close(link);
  }

  async #answer(link: Link): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    let pending: Uint8Array = new Uint8Array(0);
    try {
      for (let n = await link.client.read(buffer); n !== null; n = await link.client.read(buffer)) {
        pending = concat(pending, buffer.subarray(0, n));
        for (let request = takeRequest(pending); request; request = takeRequest(pending)) {
          pending = request.rest;
          if (this.mode === "halfOpen" || link.silenced) {
            link.silenced = true;
            continue;
          }
          if (this.mode !== "error" && this.mode !== "throttle") return this.#close(link);
          this.#faults++;
          const count = this.mode === "throttle" ? ++this.#throttled : this.#faults;
          await writeAll(link.client, faultAnswer(this.mode, count, request.contentType));
        }
      }
    } catch {
      // Closed.
    }
    this.#close(link);
  }

  #close(link: Link): void {
    if (!this.#links.delete(link)) return;
    closeQuietly(link.client);
    if (link.upstream) closeQuietly(link.upstream);
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.#listener?.close();
    this.#listener = null;
    for (const link of [...this.#links]) this.#close(link);
    return Promise.resolve();
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) written += await conn.write(bytes.subarray(written));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** One whole HTTP/1.1 request (the SDK sends a Content-Length, never chunks), or null until it arrived. */
function takeRequest(bytes: Uint8Array): { contentType: string; rest: Uint8Array } | null {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const head = new TextDecoder().decode(bytes.subarray(0, end));
  const header = (name: string) =>
    head.split("\r\n").find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1)
      .trim() ?? "";
  const length = Number(header("content-length") || "0");
  if (bytes.length < end + 4 + length) return null;
  return { contentType: header("content-type"), rest: bytes.slice(end + 4 + length) };
}

function faultAnswer(mode: "error" | "throttle", count: number, contentType: string): Uint8Array {
  const json = contentType.includes("json");
  const [status, reason, code, message] = mode === "error"
    ? [500, "Internal Server Error", json ? "InternalServerError" : "InternalFailure", "injected fault"]
    : count % 2 === 0
    ? [503, "Service Unavailable", "SlowDown", "Please reduce your request rate"]
    : [400, "Bad Request", json ? "ThrottlingException" : "Throttling", "Rate exceeded"];
  const body = json
    ? JSON.stringify({ __type: code, message })
    : `<ErrorResponse><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type><Code>${code}</Code>` +
      `<Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
  const bodyBytes = new TextEncoder().encode(body);
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    `Content-Type: ${json ? contentType : "text/xml"}`,
    `Content-Length: ${bodyBytes.length}`,
    `x-amzn-RequestId: fault-proxy-${count}`,
    "Connection: keep-alive",
    "",
    "",
  ].join("\r\n");
  return concat(new TextEncoder().encode(head), bodyBytes);
}
