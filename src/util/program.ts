/**
 * Runs a program the user asked for (a notification tool, a configured command): never waits on it for
 * longer than its timeout, and a program killed then takes everything it started along (its own process
 * group), so a hanging `sh -c` script cannot keep its pipes, or the daemon, waiting.
 */

import { collect, killGroup } from "../git/child_process.ts";

export interface ProgramRun {
  program: string;
  args: readonly string[];
  stdin?: string;
  /** The whole environment of the program. */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface ProgramResult {
  /** Null when it was killed at its timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export type RunProgram = (run: ProgramRun) => Promise<ProgramResult>;

/** Throws only when the program cannot be started (not installed, not allowed). */
export const runProgram: RunProgram = async (run) => {
  const started = performance.now();
  const child = new Deno.Command(run.program, {
    args: [...run.args],
    cwd: run.env.HOME ?? "/",
    env: run.env,
    clearEnv: true,
    stdin: run.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
    killGroup(child, { PATH: run.env.PATH ?? "/usr/bin:/bin" });
  }, run.timeoutMs);
  try {
    const output = await collect(child, run.stdin, controller.signal);
    const decoder = new TextDecoder();
    return {
      code: controller.signal.aborted ? null : output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      ms: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
};

/** Variables a user's program gets from the daemon's environment: enough to reach the desktop, no secrets. */
const PASSED_THROUGH = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "TZ",
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
] as const;

export function programEnvironment(
  read: (name: string) => string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = read(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** The last lines of a program's output, for one log line. */
export function tail(text: string, lines = 5): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
