/**
 * The running daemon as a user has it (the real CLI with its permission flags): resident memory when idle,
 * inotify watches, and DynamoDB writes caused by everyday events.
 */

import { join } from "node:path";
import { startCli } from "../../tests/helpers/cli.ts";
import { type BenchWorkspace, git } from "./workspace.ts";
import type { CountingProxy } from "./counting_proxy.ts";
import { sleep } from "./stats.ts";

export interface DaemonFigures {
  idleRssMb: number;
  watches: number;
  ignoredDirs: number;
  writesSavedFile: number;
  writesPull: number;
  writesBuild: number;
  writesIgnoredBuild: number;
}

/** Long enough for the debounce (1.2 s at most) and a write, with margin. */
const SETTLE_MS = 3000;

export async function benchDaemon(
  ws: BenchWorkspace,
  proxy: CountingProxy,
  env: Record<string, string>,
  ignoredDirsPerRepo: number,
): Promise<DaemonFigures> {
  await using daemon = await startCli(["run", "--no-hooks"], { env: { ...ws.env, ...env } });
  await daemon.waitForLine(new RegExp(`Watching ${ws.names.length} repositories`), 600_000);
  await sleep(SETTLE_MS);
  const idleRssMb = await rssMb(daemon.pid);
  const watches = await inotifyWatches(daemon.pid);

  const writesFor = async (action: () => Promise<void>) => {
    const before = proxy.repositoryWrites();
    await action();
    await sleep(SETTLE_MS);
    return proxy.repositoryWrites() - before;
  };
  const [first, second, third, fourth] = ws.names;
  const writesSavedFile = await writesFor(() =>
    Deno.writeTextFile(join(ws.workspace, first!, "src", "main.ts"), "export const saved = 1;\n")
  );
  const other = join(ws.root, "other-clone");
  await git(ws.root, ws.env, "clone", "-q", join(ws.origins, `${second}.git`), other);
  await Deno.writeTextFile(join(other, "docs", "guide.md"), "updated guide\n");
  await git(other, ws.env, "commit", "-q", "-am", "one commit to pull");
  await git(other, ws.env, "push", "-q");
  const writesPull = await writesFor(() =>
    git(join(ws.workspace, second!), ws.env, "pull", "-q", "--ff-only").then(() => {})
  );
  const writesBuild = await writesFor(() => writeFiles(join(ws.workspace, third!, "out"), 5000));
  const writesIgnoredBuild = await writesFor(() => writeFiles(join(ws.workspace, fourth!, "build"), 5000));
  await daemon.stop();
  return {
    idleRssMb,
    watches,
    ignoredDirs: ignoredDirsPerRepo * ws.names.length,
    writesSavedFile,
    writesPull,
    writesBuild,
    writesIgnoredBuild,
  };
}

/** A build's output: many files in a few folders, written as fast as the disk takes them. */
async function writeFiles(dir: string, count: number): Promise<void> {
  for (let folder = 0; folder < count / 500; folder++) {
    const path = join(dir, `chunk${folder}`);
    await Deno.mkdir(path, { recursive: true });
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => Deno.writeTextFile(join(path, `f${i}.js`), "x\n")),
    );
  }
}

export async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The process's threads: the runtime adds some for file operations and ends them once idle. */
export async function threadCount(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Counts the watches of every inotify instance the process holds. */
export async function inotifyWatches(pid: number): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(`/proc/${pid}/fdinfo`)) {
    const info = await Deno.readTextFile(`/proc/${pid}/fdinfo/${entry.name}`).catch(() => "");
    count += info.split("\n").filter((line) => line.startsWith("inotify wd:")).length;
  }
  return count;
}
