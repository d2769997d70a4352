/**
 * In a partial clone (`--filter=blob:none`) the incoming files' contents may not be here yet. Left alone,
 * `read-tree` would fetch them itself, under the index lock, by a fetch of its own that passes no
 * `--upload-pack`, so the repository's `remote.<name>.uploadpack` would run. So before the move the missing
 * objects are fetched through the runner, which names git's own upload-pack, and the move goes ahead only
 * once nothing it needs is missing.
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { gitComplaint } from "./git_complaint.ts";

/** Past this many missing objects the fetch is left to the user's own git: the move waits. */
const FETCHED_AT_ONCE = 10_000;

/** Null when the target's objects are all here (or were just fetched); otherwise why the move must wait. */
export async function missingIncomingObjects(
  runner: GitRunner,
  location: RepoLocation,
  from: string,
  to: string,
): Promise<string | null> {
  const remote = await promisorRemote(runner, location);
  if (remote === null) return null;
  let missing = await listMissing(runner, location, from, to);
  if (missing.length === 0) return null;
  if (missing.length > FETCHED_AT_ONCE) {
    return `${missing.length} incoming objects of this partial clone are not fetched yet`;
  }
  const fetched = await runner.run(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      "--recurse-submodules=no",
      "--filter=blob:none",
      "--stdin",
      "--end-of-options",
      remote,
    ],
    {
      cwd: location.path,
      allowFailure: true,
      timeoutMs: 120_000,
      stdin: missing.map((o) => `${o}\n`).join(""),
    },
  );
  missing = await listMissing(runner, location, from, to);
  if (missing.length === 0) return null;
  const why = fetched.code !== 0 ? `: ${gitComplaint(fetched.stderr)}` : "";
  return `cannot fetch ${missing.length} incoming objects of this partial clone from "${remote}"${why}`;
}

/** The remote a partial clone promises objects from, or null for a full clone. */
async function promisorRemote(runner: GitRunner, location: RepoLocation): Promise<string | null> {
  const { stdout } = await runner.run(
    ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"],
    { cwd: location.path, allowFailure: true },
  );
  let named: string | null = null;
  for (const line of stdout.split("\n")) {
    const promisor = /^remote\.(.+)\.promisor true$/.exec(line);
    if (promisor) return promisor[1]!;
    const extension = /^extensions\.partialclone (.+)$/.exec(line);
    if (extension) named = extension[1]!;
  }
  return named;
}

/** Objects the commits up to `to` need and this clone lacks, listed without fetching them. */
async function listMissing(
  runner: GitRunner,
  location: RepoLocation,
  from: string,
  to: string,
): Promise<string[]> {
  const { stdout } = await runner.run(
    ["rev-list", "--objects", "--missing=print", to, "--not", from],
    { cwd: location.path, timeoutMs: 120_000 },
  );
  return stdout.split("\n").filter((line) => line.startsWith("?")).map((line) => line.slice(1));
}
