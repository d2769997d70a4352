/**
 * Every git process goes through here: an argv (never a shell), a minimal environment, no prompts, no hooks,
 * no optional locks, and a timeout.
 */

import { GitError } from "../errors.ts";
import { Limiter } from "../util/limiter.ts";

export interface GitRunOptions {
  cwd: string;
  timeoutMs?: number;
  stdin?: string;
  /** Return non-zero exits instead of throwing. */
  allowFailure?: boolean;
  /** Only for asking where the user's hooks live: every other command runs with hooks turned off. */
  userHooksPath?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitRunner {
  run(args: readonly string[], options: GitRunOptions): Promise<GitResult>;
}

export const DEFAULT_GIT_TIMEOUT_MS = 30_000;

/** Variables passed through from the user's environment; everything else is dropped. */
const PASSED_THROUGH = ["PATH", "HOME", "USER", "LOGNAME", "SSH_AUTH_SOCK", "XDG_CONFIG_HOME", "TZ"] as const;

export function gitEnvironment(read: (name: string) => string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = read(name);
    if (value !== undefined) env[name] = value;
  }
  // Messages are parsed only for classification; keep them in one language.
  env.LC_ALL = "C";
  env.GIT_TERMINAL_PROMPT = "0";
  env.GCM_INTERACTIVE = "never";
  // A daemon has nobody to type a passphrase: fail fast instead of hanging on ssh.
  const ssh = read("GIT_SSH_COMMAND") || "ssh";
  env.GIT_SSH_COMMAND = `${ssh} -o BatchMode=yes -o ConnectTimeout=15`;
  return env;
}

/**
 * Options that protect the user: hooks of an incoming commit (a tracked husky folder) must never run, and a
 * status must never take index.lock from under the user's own git commands.
 */
export const SAFETY_ARGS = ["--no-optional-locks", "-c", "core.hooksPath=/dev/null"] as const;

export class DenoGitRunner implements GitRunner {
  readonly #env: Record<string, string>;
  readonly #limiter: Limiter;

  constructor(options: { parallelism?: number; env?: Record<string, string> } = {}) {
    this.#env = options.env ?? gitEnvironment((name) => Deno.env.get(name));
    this.#limiter = new Limiter(options.parallelism ?? 4);
  }

  run(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    return this.#limiter.run(() => this.#spawn(args, options));
  }

  async #spawn(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let output: { code: number; stdout: string; stderr: string };
    try {
      const child = new Deno.Command("git", {
        args: [...(options.userHooksPath ? SAFETY_ARGS.slice(0, 1) : SAFETY_ARGS), ...args],
        cwd: options.cwd,
        env: this.#env,
        clearEnv: true,
        stdin: options.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
        signal: controller.signal,
      }).spawn();
      output = await collect(child, options.stdin, controller.signal);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new GitError(args, options.cwd, null, `cannot start git: ${(error as Error).message}`, "");
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (controller.signal.aborted) {
      throw new GitError(args, options.cwd, null, `killed after ${timeoutMs} ms`, output.stdout, true);
    }
    if (output.code !== 0 && !options.allowFailure) {
      throw new GitError(args, options.cwd, output.code, output.stderr, output.stdout);
    }
    return output;
  }
}

/** After a kill, how long to wait for output still buffered in the pipes. */
const DRAIN_AFTER_KILL_MS = 500;

/**
 * Waits for the exit and both streams. A killed git may leave a child behind (ssh, a credential helper) that
 * holds the pipes open: once git itself is gone, the streams get a short grace period and are then dropped.
 */
async function collect(
  child: Deno.ChildProcess,
  stdin: string | undefined,
  signal: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    // git may exit before reading all of stdin; its exit code tells the story.
    await writer.write(new TextEncoder().encode(stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const stdoutReader = child.stdout.getReader();
  const stderrReader = child.stderr.getReader();
  const streams = Promise.all([readAll(stdoutReader), readAll(stderrReader)]);
  const { code } = await child.status;
  let texts: [string, string] = ["", ""];
  if (signal.aborted) {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const late = await Promise.race([
      streams,
      new Promise<null>((resolve) => grace = setTimeout(() => resolve(null), DRAIN_AFTER_KILL_MS)),
    ]);
    clearTimeout(grace);
    if (late) texts = late;
    else await Promise.all([stdoutReader.cancel(), stderrReader.cancel()]).catch(() => {});
  } else {
    texts = await streams;
  }
  return { code, stdout: texts[0], stderr: texts[1] };
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  } catch {
    // Cancelled after a kill: what arrived so far is all there is.
  }
  return decoder.decode(concat(chunks));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const decoder = new TextDecoder();
