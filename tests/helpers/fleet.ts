/**
 * Simulated machines sharing origins and the AWS emulators: each one with its own HOME, workspace and config,
 * driven through the real CLI.
 */

import assert from "node:assert/strict";
import { type EmulatorHandle, startEmulatorProcess } from "./emulators.ts";
import { type GitWorkspace, gitWorkspace, type Machine } from "./git_fixture.ts";
import { type CliOptions, type CliProcess, type CliResult, denoEnv, runCli, startCli } from "./cli.ts";

export interface Fleet extends AsyncDisposable {
  ws: GitWorkspace;
  emulators: EmulatorHandle;
  machine(name: string): Machine;
  /** The environment a CLI run gets as this machine: its HOME and git env plus the emulators' endpoints. */
  env(name: string, extra?: Record<string, string>): Record<string, string>;
  cli(name: string, args: string[], options?: Partial<CliOptions>): Promise<CliResult>;
  /** Runs and asserts exit code 0, printing both streams otherwise. */
  ok(name: string, args: string[], options?: Partial<CliOptions>): Promise<CliResult>;
  start(name: string, args?: string[], options?: Partial<CliOptions>): Promise<CliProcess>;
  /**
   * A real `git push` as the machine's user would type it, so the installed hook runs with the machine's
   * environment (and the emulators' endpoints, unless `env` overrides them).
   */
  gitPush(name: string, repo: string, args?: string[], env?: Record<string, string>): Promise<PushResult>;
}

export interface PushResult {
  code: number;
  stderr: string;
  ms: number;
}

export interface FleetOptions {
  machines: string[];
  repositories: string[];
  /** Extra config per machine, merged into the written config.yml. */
  config?: (machine: string) => Record<string, unknown>;
  /** Run `setup-aws` on every machine (table, topic, its queue, subscription). */
  setupAws?: boolean;
}

/** Short periods so tests observe heartbeats and retries quickly. */
export const FAST_DAEMON = { heartbeatSeconds: 5, reconcileMinutes: 60 };

export async function fleet(options: FleetOptions): Promise<Fleet> {
  const emulators = await startEmulatorProcess();
  let ws: GitWorkspace;
  try {
    ws = await gitWorkspace({ machines: options.machines, repositories: options.repositories });
  } catch (error) {
    await emulators[Symbol.asyncDispose]();
    throw error;
  }
  const running: CliProcess[] = [];
  const env = (name: string, extra: Record<string, string> = {}) => ({
    ...ws.machine(name).env,
    ...emulators.env(),
    ...extra,
  });
  const cli = (name: string, args: string[], opts: Partial<CliOptions> = {}) =>
    runCli(args, { ...opts, env: { ...env(name), ...opts.env } });
  const self: Fleet = {
    ws,
    emulators,
    machine: (name) => ws.machine(name),
    env,
    cli,
    async ok(name, args, opts = {}) {
      const result = await cli(name, args, opts);
      assert.equal(
        result.code,
        0,
        `gitargus ${args.join(" ")} on ${name} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
      return result;
    },
    async start(name, args = ["run"], opts = {}) {
      const child = await startCli(args, { ...opts, env: { ...env(name), ...opts.env } });
      running.push(child);
      return child;
    },
    async gitPush(name, repo, args = [], extra = {}) {
      const started = performance.now();
      const output = await new Deno.Command("git", {
        args: ["push", "-q", ...args],
        cwd: ws.machine(name).repoPath(repo),
        env: { ...(await denoEnv()), ...env(name), ...extra },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: output.code,
        stderr: new TextDecoder().decode(output.stderr),
        ms: performance.now() - started,
      };
    },
    async [Symbol.asyncDispose]() {
      for (const child of running) await child[Symbol.asyncDispose]();
      await ws[Symbol.asyncDispose]();
      await emulators[Symbol.asyncDispose]();
    },
  };
  try {
    for (const name of options.machines) {
      await ws.machine(name).writeConfig({
        daemon: FAST_DAEMON,
        aws: { dynamodb: { table: "gitargus" } },
        // No pop-ups on the developer's desktop; notification tests configure their own.
        notify: { desktop: false },
        ...options.config?.(name),
      });
    }
    if (options.setupAws) { for (const name of options.machines) await self.ok(name, ["setup-aws"]); }
  } catch (error) {
    await self[Symbol.asyncDispose]();
    throw error;
  }
  return self;
}

/** `status --json` as parsed data. */
export async function statusJson(f: Fleet, name: string, args: string[] = []): Promise<StatusJson> {
  const result = await f.ok(name, ["status", "--json", ...args]);
  return JSON.parse(result.stdout) as StatusJson;
}

export interface StatusJson {
  hosts: Array<{
    hostname: string;
    heartbeatAt: string | null;
    online: boolean;
    repositories: Array<Record<string, unknown> & { name: string; state: string; head: string | null }>;
  }>;
}

export function repoOf(status: StatusJson, host: string, repo: string) {
  return status.hosts.find((h) => h.hostname === host)?.repositories.find((r) => r.name === repo);
}

/** The topic ARN `setup-aws` recorded in the machine's config. */
export async function recordedTopicArn(f: Fleet, machine: string): Promise<string> {
  const text = await Deno.readTextFile(`${f.machine(machine).home}/.gitargus/config.yml`);
  const match = /arn:aws:sns:[^\s"']+/.exec(text);
  if (!match) throw new Error(`setup-aws recorded no topic ARN on ${machine}`);
  return match[0];
}
