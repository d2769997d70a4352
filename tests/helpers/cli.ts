/**
 * The real CLI as a subprocess, with the permission flags every other runner uses, in an environment made
 * only of what the test passes: the developer's HOME, AWS variables and git config never reach it.
 */

import { fileURLToPath } from "node:url";
import { permissionFlags } from "../../src/permissions.ts";
import { OutputLog, stopChild } from "./_process.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CONFIG = `${REPO}deno.json`;
const MAIN = `${REPO}main.ts`;
const RUN_TIMEOUT_MS = 30_000;

export interface CliOptions {
  /** The child's whole environment, besides PATH and Deno's own cache location. */
  env: Record<string, string>;
  cwd?: string;
  stdin?: string;
  /** For `runCli`: kill the CLI and fail after this long. */
  timeoutMs?: number;
  /** Absolute path of the entry module; `main.ts` unless a harness test swaps in its own script. */
  entry?: string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The argv that runs the CLI: the same flags `deno task gitargus` and the compiled binary get. */
export function cliCommand(args: readonly string[], entry = MAIN): string[] {
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-prompt",
    `--config=${CONFIG}`,
    ...permissionFlags(),
    entry,
    ...args,
  ];
}

export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const child = await spawnCli(args, options);
  const timeout = AbortSignal.timeout(timeoutMs);
  const onTimeout = () => child.kill("SIGKILL");
  timeout.addEventListener("abort", onTimeout);
  let output: Deno.CommandOutput;
  try {
    output = await child.output();
  } finally {
    timeout.removeEventListener("abort", onTimeout);
  }
  const decoder = new TextDecoder();
  const result = {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
  if (timeout.aborted) {
    const streams = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    throw new Error(`gitargus ${args.join(" ")} did not exit within ${timeoutMs} ms\n${streams}`);
  }
  return result;
}

/** A long-running CLI (the daemon). Disposing it stops it; its output is printed then if something failed. */
export interface CliProcess extends AsyncDisposable {
  readonly pid: number;
  /**
   * Set it when the test fails so dispose prints the output. A failed `waitForLine` or `waitFor` sets it
   * on its own.
   */
  failed: boolean;
  /**
   * The first stdout or stderr line, from line index `fromLine` on, that matches `pattern`. Lines that
   * arrived before the call count: pass `fromLine: cli.lineCount()` taken earlier to wait for a new one.
   */
  waitForLine(pattern: RegExp, timeoutMs?: number, options?: { fromLine?: number }): Promise<string>;
  lineCount(): number;
  /** Both streams so far, line by line in arrival order. */
  output(): string;
  /** Resolves with the exit code when the process exits on its own. */
  readonly exited: Promise<number>;
  /** Sends `signal` (SIGKILL after 5 s) and returns the exit code; the test then owns checking that code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

const running = new Set<CliProcess>();

export async function startCli(args: readonly string[], options: CliOptions): Promise<CliProcess> {
  const child = await spawnCli(args, options);
  const log = new OutputLog({ stdout: child.stdout, stderr: child.stderr });
  let stopping: Promise<number> | undefined;
  let codeChecked = false;
  const halt = (signal: Deno.Signal) => {
    stopping ??= stopChild(child, signal).then(async (code) => {
      await log.ended;
      running.delete(handle);
      return code;
    });
    return stopping;
  };
  const handle: CliProcess = {
    pid: child.pid,
    failed: false,
    async waitForLine(pattern, timeoutMs = 15_000, { fromLine = 0 } = {}) {
      try {
        const found = await log.waitForLine(
          `line matching ${pattern}`,
          // search() ignores lastIndex, so a /g pattern matches as often as it should.
          (line) => line.text.search(pattern) >= 0,
          timeoutMs,
          fromLine,
        );
        return found.line.text;
      } catch (error) {
        handle.failed = true;
        throw error;
      }
    },
    lineCount: () => log.lines().length,
    output: () => log.text(),
    exited: child.status.then((status) => status.code),
    stop(signal = "SIGTERM") {
      codeChecked = true;
      return halt(signal);
    },
    async [Symbol.asyncDispose]() {
      const code = await halt("SIGTERM");
      if (handle.failed || (code !== 0 && !codeChecked)) {
        console.error(
          `--- gitargus ${args.join(" ")} (pid ${child.pid}, exit ${code}) ---\n${log.text()}---`,
        );
      }
    },
  };
  running.add(handle);
  return handle;
}

/**
 * Polls `check` until it returns a value other than undefined or false, and returns it. A throwing check
 * counts as "not yet" (a table that does not exist yet, a ref not fetched yet). The timeout error names
 * `what` and the last value or error seen, and marks every running CLI as failed so its output is printed.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  while (true) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now())))
    );
  }
  for (const cli of running) cli.failed = true;
  const seen = last instanceof Error ? `${last.name}: ${last.message}` : Deno.inspect(last);
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}

async function spawnCli(args: readonly string[], options: CliOptions): Promise<Deno.ChildProcess> {
  const command = cliCommand(args, options.entry);
  const child = new Deno.Command(command[0]!, {
    args: command.slice(1),
    env: { ...(await denoEnv()), ...options.env },
    clearEnv: true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  return child;
}

let cachedDenoEnv: Promise<Record<string, string>> | undefined;

/**
 * PATH, and DENO_DIR so the child finds the npm packages already cached: with the test's HOME it would
 * look in an empty cache and download everything again. Deno reads DENO_DIR itself; the program cannot.
 */
export function denoEnv(): Promise<Record<string, string>> {
  cachedDenoEnv ??= (async () => {
    const { stdout } = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" })
      .output();
    const { denoDir } = JSON.parse(new TextDecoder().decode(stdout)) as { denoDir: string };
    return { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" };
  })();
  return cachedDenoEnv;
}
