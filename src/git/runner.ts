/**
 * Every git process goes through here: an argv (never a shell), a minimal environment, no prompts, no hooks,
 * no program the repository's config names (see command_policy.ts), no optional locks, and a timeout. git
 * never looks for a repository above the folder it runs in, and a git killed at its timeout takes its whole
 * process group along (ssh, remote and credential helpers).
 */

import * as localFs from "../util/local_fs.ts";
import { GitError } from "../errors.ts";
import { Limiter } from "../util/limiter.ts";
import { dirname } from "../util/path.ts";
import {
  confineSubcommand,
  credentialArgs,
  fetchPerRemote,
  needsCredentials,
  needsOwnProcessGroup,
  SAFETY_ARGS,
  SAFETY_ENV,
  safetyArgs,
} from "./command_policy.ts";
import { collect, type Collected, killGit, killGroup } from "./child_process.ts";

export { SAFETY_ARGS };

export interface GitRunOptions {
  cwd: string;
  timeoutMs?: number;
  stdin?: string;
  /** Return non-zero exits instead of throwing. */
  allowFailure?: boolean;
  /** Only for asking where the user's hooks live: every other command runs with hooks turned off. */
  userHooksPath?: boolean;
  /** Variables added to the runner's environment for this call only (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
  /** stdout as git wrote it: names that are not UTF-8 survive only here. */
  stdoutBytes?: Uint8Array;
}

export interface GitRunner {
  run(args: readonly string[], options: GitRunOptions): Promise<GitResult>;
}

export const DEFAULT_GIT_TIMEOUT_MS = 30_000;

/** One git process as it ended, for `--verbose`. */
export interface GitRun {
  /** What git was started with, the safety options before it left out. */
  argv: readonly string[];
  cwd: string;
  ms: number;
  /** Null when git was killed at its timeout or could not start. */
  code: number | null;
}

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

export class DenoGitRunner implements GitRunner {
  readonly #env: Record<string, string>;
  readonly #limiter: Limiter;
  readonly #observe: ((run: GitRun) => void) | undefined;
  /** The user's own credential helpers, read once, on the first command that may need one. */
  #credentials: Promise<string[]> | null = null;

  constructor(
    options: { parallelism?: number; env?: Record<string, string>; observe?: (run: GitRun) => void } = {},
  ) {
    this.#env = options.env ?? gitEnvironment((name) => Deno.env.get(name));
    this.#limiter = new Limiter(options.parallelism ?? 4);
    this.#observe = options.observe;
  }

  run(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    return this.#limiter.run(async () => {
      const each = fetchPerRemote(args);
      if (each) return await this.#runEach(args, each, options);
      return await this.#runOne(args, args, options);
    });
  }

  async #runOne(
    args: readonly string[],
    shown: readonly string[],
    options: GitRunOptions,
  ): Promise<GitResult> {
    const credentials = needsCredentials(args) ? await this.#credentialArgs(options.cwd) : [];
    return await this.#spawn([...credentials, ...confineSubcommand(args)], shown, options);
  }

  /** One fetch after another within the caller's one timeout; a failed remote does not stop the others. */
  async #runEach(args: readonly string[], each: string[][], options: GitRunOptions): Promise<GitResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const deadline = performance.now() + timeoutMs;
    const results: GitResult[] = [];
    for (const part of each) {
      const left = Math.max(1, Math.round(deadline - performance.now()));
      results.push(await this.#runOne(part, args, { ...options, allowFailure: true, timeoutMs: left }));
    }
    const code = results.find((r) => r.code !== 0)?.code ?? 0;
    const stdout = results.map((r) => r.stdout).join("");
    const stderr = results.map((r) => r.stderr).join("");
    if (code !== 0 && !options.allowFailure) throw new GitError(args, options.cwd, code, stderr, stdout);
    return { code, stdout, stderr };
  }

  #credentialArgs(cwd: string): Promise<string[]> {
    this.#credentials ??= this.#spawn(
      ["config", "--null", "--show-scope", "--get-regexp", "^credential\\..*helper$"],
      ["config"],
      { cwd, allowFailure: true, timeoutMs: 10_000 },
    ).then(
      (result) => credentialArgs(result.code === 0 ? result.stdout : ""),
      () => {
        // Asked again next time; this command gets no helper at all, the safe side.
        this.#credentials = null;
        return credentialArgs("");
      },
    );
    return this.#credentials;
  }

  /** Timed only when observed: without an observer a command costs nothing more. */
  async #spawn(
    argv: readonly string[],
    shown: readonly string[],
    options: GitRunOptions,
  ): Promise<GitResult> {
    const observe = this.#observe;
    if (!observe) return await this.#spawnGit(argv, shown, options);
    const started = performance.now();
    const ended = (code: number | null) =>
      observe({ argv, cwd: options.cwd, ms: performance.now() - started, code });
    try {
      const result = await this.#spawnGit(argv, shown, options);
      ended(result.code);
      return result;
    } catch (error) {
      ended(error instanceof GitError ? error.code : null);
      throw error;
    }
  }

  /** `shown` is what error messages name: the caller's arguments, not the safety options around them. */
  async #spawnGit(
    argv: readonly string[],
    shown: readonly string[],
    options: GitRunOptions,
  ): Promise<GitResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    // Discovery stops at the folder itself: a folder that is no repository (now) never finds its parent's.
    const real = await localFs.realPath(options.cwd).catch(() => null);
    if (real === null) throw new GitError(shown, options.cwd, null, "the folder does not exist", "");
    const env = { ...this.#env, ...options.env, ...SAFETY_ENV, GIT_CEILING_DIRECTORIES: dirname(real) };
    const safety = safetyArgs(shown, options.userHooksPath);
    const ownGroup = needsOwnProcessGroup(shown);
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command("git", {
        args: [...safety, ...argv],
        cwd: options.cwd,
        env,
        clearEnv: true,
        stdin: options.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
        // Leads a process group of its own (setsid), which a timeout kills whole; no terminal to prompt on.
        detached: ownGroup,
      }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new GitError(shown, options.cwd, null, `cannot start git: ${(error as Error).message}`, "");
      }
      throw error;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
      if (ownGroup) killGroup(child, env);
      else killGit(child);
    }, timeoutMs);
    let output: Collected;
    try {
      output = await collect(child, options.stdin, controller.signal);
    } finally {
      clearTimeout(timer);
    }
    const stdout = decoder.decode(output.stdout);
    if (controller.signal.aborted) {
      throw new GitError(shown, options.cwd, null, `killed after ${timeoutMs} ms`, stdout, true);
    }
    const stderr = decoder.decode(output.stderr);
    if (output.code !== 0 && !options.allowFailure) {
      throw new GitError(shown, options.cwd, output.code, stderr, stdout);
    }
    return { code: output.code, stdout, stderr, stdoutBytes: output.stdout };
  }
}

const decoder = new TextDecoder();
