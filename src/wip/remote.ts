/**
 * Snapshots on the repository's remote: pushed to their own ref (replacing only that ref, with no hook run,
 * since it is private and no branch), fetched into the same ref name here, listed and deleted. Every call
 * is bounded by the runner's timeout, so a remote that stops answering ends the command with a message.
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { parseWipRef, WIP_NAMESPACE, WipError } from "./refs.ts";

const NETWORK_TIMEOUT_MS = 120_000;

/** The checked-out branch's remote, else `origin`, else the only remote; none is an error. */
export async function snapshotRemote(runner: GitRunner, location: RepoLocation): Promise<string> {
  const remote = await snapshotRemoteOrNull(runner, location);
  if (remote === null) throw new WipError(`${location.name} has no remote to keep work in progress on`);
  return remote;
}

export async function snapshotRemoteOrNull(
  runner: GitRunner,
  location: RepoLocation,
): Promise<string | null> {
  const cwd = location.path;
  const remotes = (await runner.run(["remote"], { cwd })).stdout.split("\n").filter(Boolean);
  const upstream = await runner.run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], {
    cwd,
    allowFailure: true,
  });
  const tracked = upstream.code === 0 ? upstream.stdout.trim() : "";
  // Remote names may hold slashes: the longest one the upstream starts with is its remote.
  const own = remotes.filter((r) => tracked.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  return own ?? (remotes.includes("origin") ? "origin" : remotes.length === 1 ? remotes[0]! : null);
}

export async function pushSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  remote: string,
  commit: string,
  ref: string,
): Promise<void> {
  await network(runner, location, [
    "push",
    "--no-verify",
    "--porcelain",
    "--no-follow-tags",
    remote,
    `+${commit}:${ref}`,
  ]);
  await runner.run(["update-ref", ref, commit], { cwd: location.path });
}

/** The snapshot's commit, fetched with what it needs; null when the remote no longer has the ref. */
export async function fetchSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  remote: string,
  ref: string,
): Promise<string | null> {
  const listed = await listRemote(runner, location, remote, ref);
  if (!listed.some((r) => r.ref === ref)) return null;
  await network(runner, location, ["fetch", "--no-tags", "--no-write-fetch-head", remote, `+${ref}:${ref}`]);
  return (await runner.run(["rev-parse", "--verify", ref], { cwd: location.path })).stdout.trim();
}

export async function deleteSnapshot(
  runner: GitRunner,
  location: RepoLocation,
  remote: string,
  ref: string,
): Promise<void> {
  if ((await listRemote(runner, location, remote, ref)).some((r) => r.ref === ref)) {
    await network(runner, location, ["push", "--no-verify", "--porcelain", remote, `:${ref}`]);
  }
  await runner.run(["update-ref", "-d", ref], { cwd: location.path, allowFailure: true });
}

export interface RemoteSnapshot {
  ref: string;
  sha: string;
  host: string;
  branch: string;
}

/** The snapshots on the remote for this repository: every machine's, or `host`'s only. */
export async function listRemoteSnapshots(
  runner: GitRunner,
  location: RepoLocation,
  remote: string,
  host?: string,
): Promise<RemoteSnapshot[]> {
  const pattern = host === undefined ? `${WIP_NAMESPACE}*` : `${WIP_NAMESPACE}${host}/*`;
  const listed = await listRemote(runner, location, remote, pattern);
  return listed.flatMap((r) => {
    const parsed = parseWipRef(r.ref);
    return parsed && (host === undefined || parsed.host === host) ? [{ ...r, ...parsed }] : [];
  });
}

async function listRemote(runner: GitRunner, location: RepoLocation, remote: string, pattern: string) {
  const { stdout } = await network(runner, location, ["ls-remote", remote, pattern]);
  return stdout.split("\n").filter(Boolean).map((line) => {
    const [sha = "", ref = ""] = line.split("\t");
    return { sha, ref };
  });
}

async function network(runner: GitRunner, location: RepoLocation, args: string[]) {
  const result = await runner.run(args, {
    cwd: location.path,
    timeoutMs: NETWORK_TIMEOUT_MS,
    allowFailure: true,
  });
  if (result.code !== 0) {
    const said = result.stderr.trim().split("\n").filter(Boolean).pop() ?? `exit ${result.code}`;
    throw new WipError(`git ${args[0]} failed for ${location.name}: ${said}`);
  }
  return result;
}
