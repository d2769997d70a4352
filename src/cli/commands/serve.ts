/** `gitargus serve`: the dashboard of every machine, in a browser, from this machine. */

import type { GlobalOptions } from "../context.ts";
import { home, loadCliConfig, startLogging } from "../context.ts";
import { createStore } from "../../aws/services.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { systemClock } from "../../util/clock.ts";
import { logger } from "../../log/logger.ts";
import { ConfigError, GitargusError, UsageError } from "../../errors.ts";
import { join } from "../../util/path.ts";
import { gitargusDir } from "../../config/paths.ts";
import {
  accessFiles,
  fetchNow,
  isLoopback,
  newToken,
  previousToken,
  startDashboard,
  writeAccessFiles,
} from "../../serve/mod.ts";
import { openInBrowser } from "../../serve/open.ts";
import * as out from "../output.ts";

export interface ServeOptions {
  port?: string;
  host?: string;
  open?: boolean;
}

export const DEFAULT_PORT = 8421;
/** A change in the store reaches the page within this period plus one read. */
const POLL_MS = 1_500;

export async function serveCommand(globals: GlobalOptions, options: ServeOptions): Promise<void> {
  const port = parsePort(options.port);
  const hostname = parseHost(options.host ?? "127.0.0.1");
  const config = await loadCliConfig(globals);
  const dir = home();
  if (!dir) {
    throw new ConfigError(config.file, "HOME is not set, so the dashboard's access file has no place");
  }
  await startLogging(globals, { file: false });
  const log = logger("serve");
  const store = await createStore(config);
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const token = await previousToken(accessFiles(dir, port).url) ?? newToken();
  await using dashboard = await startDashboard({
    read: () => store.snapshot(),
    fetchNow: fetchNow({ config, runner, store, clock: systemClock, log }),
    clock: systemClock,
    onAction: (text) => log.info(text),
    onReadProblem: (message) =>
      message ? log.warn("{message}", { message }) : log.info("The store reads again"),
  }, {
    hostname,
    port,
    token,
    localHost: config.hostname,
    root: config.root,
    pollMs: POLL_MS,
    silencedFile: join(gitargusDir(dir), "dashboard", "silenced.json"),
  }).catch((error) => {
    throw listenError(error, hostname, port);
  });
  const stop = () => void dashboard[Symbol.asyncDispose]();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
  // Port 0 picks a free port: the files are named for the port the server got.
  const files = accessFiles(dir, dashboard.port);
  await writeAccessFiles(files, `${dashboard.url}?token=${token}`);
  out.line(`GitArgus dashboard on ${dashboard.url} (Ctrl-C stops it)`);
  out.line(`Its address with the access token is in ${files.url}; \`gitargus serve --open\` opens it.`);
  if (!isLoopback(hostname)) out.line(`Reachable from other machines: anyone with the token can use it.`);
  // A store that cannot be read is worth a line now; the page says it too, and reads are retried.
  void dashboard.check().catch(() => {});
  if (options.open) {
    const opened = await openInBrowser(files.page);
    if (!opened.ok) out.error(`Cannot open a browser (${opened.reason}); open the address in ${files.url}`);
  }
  try {
    await dashboard.finished;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(signal, stop);
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535 (0: any free port), got "${text}"`);
  }
  return port;
}

function parseHost(text: string): string {
  if (!/^(?:[\w.-]+|\[?[0-9a-fA-F:.]+\]?)$/.test(text)) {
    throw new UsageError(`--host must be an address or host name to listen on, got "${text}"`);
  }
  return text.replace(/^\[(.*)\]$/, "$1");
}

function listenError(error: unknown, hostname: string, port: number): Error {
  if (error instanceof GitargusError) return error;
  const where = `${hostname}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return new GitargusError(`Cannot listen on ${where}: the port is in use; choose another with --port`);
  }
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return new UsageError(
      `Cannot listen on ${hostname}: this program listens on loopback (127.0.0.1, ::1) or on every ` +
        "interface (--host 0.0.0.0 or --host ::) only",
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new GitargusError(`Cannot listen on ${where}: no interface of this machine has that address`);
  }
  return new GitargusError(`Cannot listen on ${where}: ${(error as Error).message}`, { cause: error });
}
