/**
 * This machine's own snapshots of a repository, from its local copies of their refs: what its record lists
 * (`wip` in the state) so that every other machine's `status` offers them. It runs in every status read of
 * the daemon, so it costs a few stats when there is no snapshot, and one git process when there is.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import type { WipSnapshot } from "../state/repo_status.ts";
import { parseWipRef, WIP_NAMESPACE } from "./refs.ts";

const FORMAT = ["%(refname)", "%(objectname)", "%(parent)", "%(committerdate:unix)", "%(contents:body)"].join(
  "%00",
);

export async function readSavedWip(
  runner: GitRunner,
  location: RepoLocation,
  host: string,
): Promise<WipSnapshot[]> {
  const prefix = `${WIP_NAMESPACE}${host}/`;
  if (!(await mayHold(location, prefix))) return [];
  const { stdout } = await runner.run(["for-each-ref", `--format=${FORMAT}%01`, prefix], {
    cwd: location.path,
  });
  const saved: WipSnapshot[] = [];
  for (const record of stdout.split("\x01")) {
    const [ref = "", commit = "", parents = "", time = "", body = ""] = record.replace(/^\n/, "").split("\0");
    const parsed = parseWipRef(ref);
    const base = parents.split(" ")[0];
    if (!parsed || parsed.host !== host || !base || !commit) continue;
    const files = Number(/^Gitargus-Files: (\d+)$/m.exec(body)?.[1] ?? 0);
    saved.push({
      branch: parsed.branch,
      commit,
      base,
      savedAt: new Date(Number(time) * 1000).toISOString(),
      files,
    });
  }
  return saved;
}

/** Loose refs under the prefix, packed ones, or a ref store this cannot look into. */
async function mayHold(location: RepoLocation, prefix: string): Promise<boolean> {
  const dir = join(location.commonDir, prefix);
  const loose = await localFs.stat(dir).then((s) => s.isDirectory, () => false);
  if (loose) return true;
  if (await localFs.stat(join(location.commonDir, "reftable")).then(() => true, () => false)) return true;
  return await packedRefsMention(join(location.commonDir, "packed-refs"), prefix);
}

/** Remembered per file while it is unchanged: packed-refs of a large repository is megabytes of text. */
const packedCache = new Map<string, { stamp: string; found: boolean }>();

async function packedRefsMention(file: string, prefix: string): Promise<boolean> {
  const info = await localFs.stat(file).catch(() => null);
  if (!info) return false;
  const stamp = `${info.ino}:${info.size}:${info.mtime?.getTime()}:${prefix}`;
  const cached = packedCache.get(file);
  if (cached?.stamp === stamp) return cached.found;
  const found = (await localFs.readTextFile(file).catch(() => "")).includes(` ${prefix}`);
  packedCache.set(file, { stamp, found });
  return found;
}
