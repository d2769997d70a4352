/**
 * `leave --local`, the shell prompt segment, against a sequential loop of `git status` over the same
 * repositories, both as the processes a prompt would start. The cache is the daemon's own writer fed with
 * live states, and this process holds the daemon's lock, so the reader finds the daemon "running".
 */

import { loadConfig } from "../../src/config/load.ts";
import { localStatePath } from "../../src/config/paths.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, readRepoStatus } from "../../src/git/repo.ts";
import { acquireInstanceLock, instanceLockPath } from "../../src/daemon/instance_lock.ts";
import { LocalStateWriter } from "../../src/presence/mod.ts";
import { denoEnv } from "../../tests/helpers/cli.ts";
import { benchCli, type BenchWorkspace } from "./workspace.ts";
import { median, timed } from "./stats.ts";

export interface LeaveLocalFigures {
  fromCache: number;
  /** One repository changed since the daemon read it: read from git, the rest from the cache. */
  oneStale: number;
  statusLoop: number;
}

export async function benchLeaveLocal(ws: BenchWorkspace, rounds: number): Promise<LeaveLocalFigures> {
  const config = await loadConfig({ explicitPath: ws.configFile, env: (name) => ws.env[name] });
  const runner = new DenoGitRunner({ env: gitEnvironment((n) => ws.env[n]) });
  await using _lock = await acquireInstanceLock(await instanceLockPath(ws.home, config.file), {
    pid: Deno.pid,
    startedAt: new Date().toISOString(),
    command: "bench",
    terminal: false,
    config: config.file,
  });
  const writer = new LocalStateWriter(localStatePath(ws.home, config.hostname), {
    hostname: config.hostname,
    config: config.file,
  });
  const record = async () => {
    for (const repo of config.repositories) {
      const found = await locateRepository(runner, repo);
      if (!found.ok) throw new Error(found.reason);
      const status = await readRepoStatus(runner, found.location, {
        now: () => new Date(),
        lastFetch: null,
        sync: null,
      });
      await writer.record(status, found.location);
    }
    await writer.flush();
  };
  await record();
  const env = { ...(await denoEnv()), ...ws.env };
  const leave = () => benchCli(["leave", "--local"], env);
  const loop = async () => {
    for (const name of ws.names) {
      await new Deno.Command("git", {
        args: ["status", "--porcelain"],
        cwd: `${ws.workspace}/${name}`,
        env,
        clearEnv: true,
        stdout: "null",
      })
        .output();
    }
  };
  await leave(); // warm the module cache
  const fromCache: number[] = [];
  const statusLoop: number[] = [];
  const oneStale: number[] = [];
  for (let round = 0; round < rounds; round++) {
    fromCache.push(await timed(leave));
    statusLoop.push(await timed(loop));
    // A new branch at the same commit moves refs/heads without putting anything at risk.
    await new Deno.Command("git", {
      args: ["branch", "-f", `bench-${round}`],
      cwd: `${ws.workspace}/${ws.names[0]}`,
      env,
      clearEnv: true,
    })
      .output();
    oneStale.push(await timed(leave));
    await record();
  }
  return { fromCache: median(fromCache), oneStale: median(oneStale), statusLoop: median(statusLoop) };
}
