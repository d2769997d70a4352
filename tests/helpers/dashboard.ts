/**
 * `gitargus serve` of one simulated machine, and a client of its API and event stream over real HTTP.
 */

import type { Fleet } from "./fleet.ts";
import type { CliProcess } from "./cli.ts";

export interface ServedDashboard extends AsyncDisposable {
  process: CliProcess;
  /** `http://127.0.0.1:PORT/`, without the token. */
  url: string;
  token: string;
  /** The address with the token, as the user-only file holds it. */
  accessUrl: string;
  /** GET or POST with the bearer token (unless `headers` overrides authorization). */
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string): Promise<T>;
  post(path: string, body: unknown): Promise<Response>;
  events(lastEventId?: string): Promise<EventClient>;
}

export async function serveDashboard(
  f: Fleet,
  machine: string,
  args: string[] = [],
): Promise<ServedDashboard> {
  const process = await f.start(machine, ["serve", "--port", "0", ...args]);
  const line = await process.waitForLine(/dashboard on http:\/\/\S+/, 30_000);
  const url = /(http:\/\/\S+\/)/.exec(line)![1]!;
  const port = new URL(url).port;
  const accessUrl = (await Deno.readTextFile(`${f.machine(machine).home}/.gitargus/dashboard/${port}.url`))
    .trim();
  const token = new URL(accessUrl).searchParams.get("token")!;
  const request = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, url), {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...Object.fromEntries(new Headers(init.headers)) },
    });
  return {
    process,
    url,
    token,
    accessUrl,
    request,
    async json<T>(path: string) {
      const response = await request(path);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return await response.json() as T;
    },
    post: (path, body) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    async events(lastEventId) {
      const response = await request(
        "/api/events",
        lastEventId ? { headers: { "last-event-id": lastEventId } } : {},
      );
      if (!response.ok || !response.body) throw new Error(`GET /api/events: ${response.status}`);
      return eventClient(response.body);
    },
    async [Symbol.asyncDispose]() {
      await process[Symbol.asyncDispose]();
    },
  };
}

export interface StreamEvent {
  id: string | null;
  event: string;
  data: unknown;
  /** performance.now() when it arrived. */
  at: number;
}

export interface EventClient extends AsyncDisposable {
  /** The first event from the start of the stream on that matches (events are kept, so none is missed). */
  next(match: (event: StreamEvent) => boolean, timeoutMs?: number, fromIndex?: number): Promise<StreamEvent>;
  received(): StreamEvent[];
}

function eventClient(body: ReadableStream<Uint8Array>): EventClient {
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = "";
    while (true) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split("\n")) {
          const colon = line.indexOf(":");
          if (colon <= 0) continue;
          fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
        }
        if (!fields.has("data")) continue;
        events.push({
          id: fields.get("id") ?? null,
          event: fields.get("event") ?? "message",
          data: JSON.parse(fields.get("data")!),
          at: performance.now(),
        });
        for (const wake of waiters) wake();
      }
    }
  })();
  return {
    received: () => [...events],
    async next(match, timeoutMs = 10_000, fromIndex = 0) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const found = events.slice(fromIndex).find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) {
          const seen = events.map((e) => e.event).join(", ");
          throw new Error(`No matching event within ${timeoutMs} ms; received: ${seen}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    async [Symbol.asyncDispose]() {
      await reader.cancel().catch(() => {});
      await reading;
    },
  };
}
