/**
 * `gitargus serve`: the dashboard and its JSON API, the one door to src/serve/. The server reads the store for
 * every browser at once (src/serve/feed.ts); no browser talks to AWS, and nothing it loads comes from the
 * internet.
 */

import type { StoreSnapshot } from "../store/store.ts";
import type { Clock } from "../util/clock.ts";
import { Feed } from "./feed.ts";
import { missingOf } from "./missing.ts";
import { handler } from "./routes.ts";
import { loadAssets } from "./assets.ts";
import type { FetchNow } from "./fetch_now.ts";
import { SilenceList } from "./silenced.ts";

export { accessFiles, newToken, previousToken, writeAccessFiles } from "./access.ts";
export { fetchNow, type FetchNowDeps } from "./fetch_now.ts";

export interface DashboardOptions {
  hostname: string;
  port: number;
  token: string;
  /** This machine's name: actions apply to its repositories only. */
  localHost: string;
  /** This machine's workspace root: where the repositories the others have and it lacks would go. */
  root?: string;
  /** Reads of the store happen at most this often, and only while someone watches. */
  pollMs: number;
  silencedFile: string;
}

export interface DashboardDeps {
  read: () => Promise<StoreSnapshot>;
  fetchNow: FetchNow;
  clock: Clock;
  onAction?: (text: string) => void;
  onReadProblem?: (message: string | null) => void;
}

export interface Dashboard extends AsyncDisposable {
  /** The address to open, without the token. */
  url: string;
  port: number;
  finished: Promise<void>;
  /** Reads the store once, so a problem shows at start rather than in the first browser. */
  check(): Promise<void>;
}

export const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"];

export function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.includes(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export async function startDashboard(deps: DashboardDeps, options: DashboardOptions): Promise<Dashboard> {
  const assets = await loadAssets();
  const silenced = await SilenceList.open(options.silencedFile);
  const feed = new Feed({
    read: deps.read,
    missing: missingOf({ hostname: options.localHost, root: options.root }),
    clock: deps.clock,
    pollMs: options.pollMs,
    localHost: options.localHost,
    ...(deps.onReadProblem ? { onReadProblem: deps.onReadProblem } : {}),
  });
  const closing = new AbortController();
  const loopback = isLoopback(options.hostname);
  let port = options.port;
  const listening = Promise.withResolvers<void>();
  const bind = options.hostname === "[::1]" ? "::1" : options.hostname;
  const server = Deno.serve({
    hostname: bind,
    port: options.port,
    onListen: (address) => {
      port = address.port;
      listening.resolve();
    },
  }, (request) => route(request));
  const route = handler({
    get access() {
      return { token: options.token, port, loopback };
    },
    assets,
    feed,
    silenced,
    fetchNow: deps.fetchNow,
    localHost: options.localHost,
    now: () => deps.clock.now(),
    closing: closing.signal,
    ...(deps.onAction ? { onAction: deps.onAction } : {}),
  });
  await listening.promise;
  // The address to open here: every interface includes loopback.
  const shown = bind === "::"
    ? "[::1]"
    : bind.includes(":")
    ? `[${bind}]`
    : bind === "0.0.0.0"
    ? "127.0.0.1"
    : bind;
  return {
    url: `http://${shown}:${port}/`,
    port,
    finished: server.finished,
    check: () => feed.report().then(() => {}),
    async [Symbol.asyncDispose]() {
      closing.abort();
      feed.close();
      await server.shutdown();
    },
  };
}
