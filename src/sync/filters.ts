/**
 * A required smudge filter that cannot run stops a checkout halfway, after some files are already written.
 * So before a move, every incoming path whose attributes (as of the target commit) name a filter driver
 * marked `required` is checked: the driver must have a smudge or process command, and that command must exist.
 * The attributes are read from a scratch index of the target, since the update may bring the .gitattributes.
 */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { fileName, type PathKey } from "./quoted_path.ts";

export async function unusableRequiredFilter(
  runner: GitRunner,
  location: RepoLocation,
  target: string,
  incoming: ReadonlySet<PathKey>,
): Promise<string | null> {
  const drivers = await requiredDrivers(runner, location);
  if (drivers.size === 0 || incoming.size === 0) return null;
  const names = [...incoming].map(fileName).filter((n): n is string => n !== null);
  // Outside the repository: a file appearing in the git dir would wake the daemon's watcher.
  const scratch = await Deno.makeTempDir({ prefix: "gitargus-attributes-" });
  let stdout: string;
  try {
    const env = { GIT_INDEX_FILE: join(scratch, "index") };
    await runner.run(["read-tree", target], { cwd: location.path, env });
    ({ stdout } = await runner.run(["check-attr", "--cached", "-z", "--stdin", "filter"], {
      cwd: location.path,
      env,
      stdin: names.map((n) => `${n}\0`).join(""),
    }));
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
  const fields = stdout.split("\0");
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [path, , driver] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
    if (!drivers.has(driver)) continue;
    const problem = await driverProblem(runner, location, driver);
    if (problem) return `${path} needs the required filter "${driver}", ${problem}`;
  }
  return null;
}

async function requiredDrivers(runner: GitRunner, location: RepoLocation): Promise<Set<string>> {
  const { stdout } = await runner.run(
    ["config", "--type=bool", "--get-regexp", "^filter\\..*\\.required$"],
    { cwd: location.path, allowFailure: true },
  );
  const drivers = new Set<string>();
  for (const line of stdout.split("\n")) {
    const match = /^filter\.(.+)\.required true$/.exec(line);
    if (match) drivers.add(match[1]!);
  }
  return drivers;
}

async function driverProblem(
  runner: GitRunner,
  location: RepoLocation,
  driver: string,
): Promise<string | null> {
  const read = async (key: string) =>
    (await runner.run(["config", "--get", `filter.${driver}.${key}`], {
      cwd: location.path,
      allowFailure: true,
    }))
      .stdout.trim();
  const command = await read("process") || await read("smudge");
  if (!command) return "which has no smudge or process command configured";
  const program = command.split(/\s+/)[0]!;
  return await commandExists(program) ? null : `whose command "${program}" is not found`;
}

async function commandExists(program: string): Promise<boolean> {
  const candidates = program.includes("/")
    ? [program]
    : (Deno.env.get("PATH") ?? "").split(":").filter(Boolean).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    try {
      const info = await Deno.stat(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch {
      // Not here.
    }
  }
  return false;
}
