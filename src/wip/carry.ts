/**
 * The steps of `gitargus wip`: which repositories and which snapshot a command line means, saving one and
 * announcing it, and finding another machine's on the remote. The git side is in the modules of this folder;
 * the CLI prints what these return.
 */

import type { Config, RepositoryConfig } from "../config/types.ts";
import type { GitRunner } from "../git/runner.ts";
import { locateRepository, type RepoLocation } from "../git/repo.ts";
import { mainWorktreeOf } from "../git/linked_worktree.ts";
import { dirname, join } from "../util/path.ts";
import { matchesRepo } from "../config/repository_name.ts";
import { requireMatch } from "../report/filter.ts";
import { GitargusError } from "../errors.ts";
import type { Announced, WipChange } from "./announce.ts";
import type { RefusedFile } from "./guard.ts";
import { WipError, wipRef } from "./refs.ts";
import {
  deleteSnapshot,
  fetchSnapshot,
  listRemoteSnapshots,
  pushSnapshot,
  snapshotRemote,
} from "./remote.ts";
import { buildSnapshot, type Snapshot } from "./snapshot.ts";
import { DEFAULT_WIP } from "../config/schema.ts";

export interface CarryDeps {
  config: Config;
  runner: GitRunner;
  now: () => Date;
  announce: (change: WipChange) => Promise<Announced>;
}

export type SaveOutcome =
  | { repo: string; kind: "saved"; branch: string; commit: string; files: number; announced: Announced }
  | { repo: string; kind: "nothing" }
  | { repo: string; kind: "refused"; refused: RefusedFile[] }
  | { repo: string; kind: "failed"; reason: string };

/**
 * The repositories a `wip save` means: those named; with no name, the configured one the current folder is
 * in, or the one whose linked worktree it is in (that worktree's work is saved, under its own branch), else
 * every configured one (each with nothing to save says so quietly).
 */
export async function repositoriesToSave(
  config: Config,
  names: readonly string[],
  cwd: string,
): Promise<RepositoryConfig[]> {
  const configured = config.repositories;
  if (names.length > 0) {
    for (const name of names) requireMatch("repository", name, configured.map((r) => r.name));
    return configured.filter((r) => names.some((name) => matchesRepo(r.name, name)));
  }
  const here = configured.filter((r) => cwd === r.path || cwd.startsWith(`${r.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (here) return [here];
  const linked = await linkedWorktreeOf(config, cwd);
  return linked ? [linked] : configured;
}

/** The configured repository whose linked worktree holds `cwd`, with the worktree's top as its path. */
async function linkedWorktreeOf(config: Config, cwd: string): Promise<RepositoryConfig | null> {
  for (let dir = cwd; dir !== dirname(dir); dir = dirname(dir)) {
    const marker = await Deno.lstat(join(dir, ".git")).catch(() => null);
    if (!marker) continue;
    if (!marker.isFile) return null;
    const main = await mainWorktreeOf(dir);
    if (main === null) return null;
    for (const repo of config.repositories) {
      if (await Deno.realPath(repo.path).catch(() => null) === main) return { ...repo, path: dir };
    }
    return null;
  }
  return null;
}

export async function saveWork(
  deps: CarryDeps,
  repo: RepositoryConfig,
  options: { force: boolean },
): Promise<SaveOutcome> {
  const found = await locateRepository(deps.runner, repo);
  if (!found.ok) return { repo: repo.name, kind: "failed", reason: found.reason };
  const { location } = found;
  try {
    const built = await buildSnapshot(deps.runner, location, {
      host: deps.config.hostname,
      now: deps.now,
      maxFileSize: maxFileBytes(deps.config),
      force: options.force,
    });
    if (built.kind === "nothing") return { repo: repo.name, kind: "nothing" };
    if (built.kind === "refused") return { repo: repo.name, kind: "refused", refused: built.refused };
    const { snapshot } = built;
    const announced = await publishSnapshot(deps, repo, location, snapshot);
    return {
      repo: repo.name,
      kind: "saved",
      branch: snapshot.branch,
      commit: snapshot.commit,
      files: snapshot.paths.length,
      announced,
    };
  } catch (error) {
    if (!(error instanceof GitargusError)) throw error;
    return { repo: repo.name, kind: "failed", reason: error.message };
  }
}

/** Pushes a snapshot to its ref on the repository's remote and tells the other machines. */
export async function publishSnapshot(
  deps: CarryDeps,
  repo: RepositoryConfig,
  location: RepoLocation,
  snapshot: Snapshot,
): Promise<Announced> {
  const remote = await snapshotRemote(deps.runner, location);
  const ref = wipRef(deps.config.hostname, snapshot.branch);
  await pushSnapshot(deps.runner, location, remote, snapshot.commit, ref);
  return await deps.announce({
    host: deps.config.hostname,
    repository: repo.name,
    remote,
    ref,
    sha: snapshot.commit,
  });
}

/** `wip.maxFileSizeMB` in bytes. */
export function maxFileBytes(config: Config): number {
  return (config.wip?.maxFileSizeMB ?? DEFAULT_WIP.maxFileSizeMB) * 1024 * 1024;
}

/** Another machine's snapshot of a repository, fetched into this clone. */
export interface FoundSnapshot {
  repo: RepositoryConfig;
  location: RepoLocation;
  remote: string;
  host: string;
  branch: string;
  ref: string;
  commit: string;
}

/**
 * The snapshot `HOST REPO [--branch B]` names, fetched from the remote: the only one `HOST` saved of the
 * repository, or the one of `branch`, or of the branch checked out here when there are several.
 */
export async function findSnapshot(
  deps: Pick<CarryDeps, "config" | "runner">,
  host: string,
  name: string,
  branch?: string,
): Promise<FoundSnapshot> {
  const repo = configuredRepository(deps.config, name);
  const found = await locateRepository(deps.runner, repo);
  if (!found.ok) throw new WipError(`${repo.name} cannot be used here: ${found.reason}`);
  const { location } = found;
  const remote = await snapshotRemote(deps.runner, location);
  const saved = await listRemoteSnapshots(deps.runner, location, remote, host);
  if (saved.length === 0) {
    throw new WipError(
      `${host} has no work in progress of ${repo.name} on ${remote} (dropped, or never saved)`,
    );
  }
  const wanted = branch ??
    (saved.length === 1 ? saved[0]!.branch : await currentBranch(deps.runner, location));
  const chosen = saved.find((s) => s.branch === wanted);
  if (!chosen) {
    const branches = saved.map((s) => s.branch).join(", ");
    throw new WipError(
      branch !== undefined
        ? `${host} saved no work in progress of ${repo.name} on branch ${branch}; it has: ${branches}`
        : `${host} saved work in progress of ${repo.name} on several branches (${branches}): pick one with --branch`,
    );
  }
  const commit = await fetchSnapshot(deps.runner, location, remote, chosen.ref);
  if (commit === null) throw new WipError(`${chosen.ref} is no longer on ${remote}: it was dropped`);
  return { repo, location, remote, host, branch: chosen.branch, ref: chosen.ref, commit };
}

/** Deletes the snapshot on the remote (and this clone's copy) and tells the machine that saved it. */
export async function dropSnapshot(deps: CarryDeps, found: FoundSnapshot): Promise<Announced> {
  await deleteSnapshot(deps.runner, found.location, found.remote, found.ref);
  return await deps.announce({
    host: deps.config.hostname,
    repository: found.repo.name,
    remote: found.remote,
    ref: found.ref,
    // A deletion, in the length of the snapshot's own id (SHA-1 or SHA-256 repositories).
    sha: "0".repeat(found.commit.length),
  });
}

function configuredRepository(config: Config, name: string): RepositoryConfig {
  requireMatch("repository", name, config.repositories.map((r) => r.name));
  const exact = config.repositories.find((r) => r.name === name);
  const matches = exact ? [exact] : config.repositories.filter((r) => matchesRepo(r.name, name));
  if (matches.length > 1) {
    throw new WipError(
      `${JSON.stringify(name)} names several repositories: ${matches.map((r) => r.name).join(", ")}`,
    );
  }
  return matches[0]!;
}

async function currentBranch(runner: GitRunner, location: RepoLocation): Promise<string> {
  const result = await runner.run(["symbolic-ref", "--quiet", "--short", "HEAD"], {
    cwd: location.path,
    allowFailure: true,
  });
  return result.code === 0 ? result.stdout.trim() : "HEAD";
}
