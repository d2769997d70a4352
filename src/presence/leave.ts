/**
 * `gitargus leave`: everything on this machine another machine cannot get, read live from git (or, with
 * `--local`, from the daemon's cached states where they are still current), plus the push events that wait
 * in the outbox to be announced.
 */

import type { Config } from "../config/types.ts";
import type { GitRunner } from "../git/runner.ts";
import type { RepoState, RepoStatus } from "../state/repo_status.ts";
import { type Risk, risksOf } from "./risks.ts";
import { readLocalState, stillCurrent } from "./local_state.ts";

export interface RepoAtRisk {
  name: string;
  /** Null for a repository only an outbox entry names (no longer configured). */
  path: string | null;
  state: RepoState | null;
  risks: Risk[];
}

/** Where the states came from: git, or the daemon's cache with the repositories read again from git. */
export interface LeaveSource {
  mode: "live" | "cache";
  /** The repositories read from git (all of them in live mode). */
  live: string[];
  /** Why the cache was not used for them; null when it was used for every repository. */
  reason: string | null;
}

export interface LeaveReport {
  hostname: string;
  generatedAt: string;
  atRisk: boolean;
  /** Repositories looked at. */
  checked: number;
  repositories: RepoAtRisk[];
  /** Push events waiting in the outbox. */
  unannounced: number;
  source: LeaveSource;
}

export interface LeaveDeps {
  config: Config;
  runner: GitRunner;
  now: () => Date;
  /** What the outbox holds: the repository each entry names. */
  waitingPushes: () => Promise<Array<string | null>>;
  /** Whether this config's daemon runs (it holds its lock). */
  daemonRunning: () => Promise<boolean>;
  /** `--local`: the cached states' file. */
  statePath?: string;
}

export async function leaveReport(deps: LeaveDeps): Promise<LeaveReport> {
  const [{ states, source }, waiting, running] = await Promise.all([
    deps.statePath === undefined ? liveStates(deps) : cachedStates(deps, deps.statePath),
    deps.waitingPushes(),
    deps.daemonRunning(),
  ]);
  const repositories = states.map((repo): RepoAtRisk => ({
    name: repo.name,
    path: repo.path,
    state: repo.state,
    risks: risksOf(repo),
  }));
  for (const [name, count] of countBy(waiting)) {
    let repo = repositories.find((r) => r.name === name);
    if (!repo) {
      repositories.push(repo = { name: name ?? "(unknown repository)", path: null, state: null, risks: [] });
    }
    repo.risks.push(unannounced(count, running));
  }
  const atRisk = repositories.filter((r) => r.risks.length > 0).sort((a, b) => a.name.localeCompare(b.name));
  return {
    hostname: deps.config.hostname,
    generatedAt: deps.now().toISOString(),
    atRisk: atRisk.length > 0,
    checked: states.length,
    repositories: atRisk,
    unannounced: waiting.length,
    source,
  };
}

async function liveStates(deps: LeaveDeps): Promise<{ states: RepoStatus[]; source: LeaveSource }> {
  const states = await read(deps, deps.config.repositories.map((r) => r.name));
  return { states, source: { mode: "live", live: states.map((s) => s.name), reason: null } };
}

/**
 * The cached state of each repository whose git metadata did not move since the daemon recorded it; the
 * others are read from git. Without a running daemon nothing in the cache is trusted: working-tree edits
 * since its last record would go unseen.
 */
async function cachedStates(
  deps: LeaveDeps,
  path: string,
): Promise<{ states: RepoStatus[]; source: LeaveSource }> {
  const { config } = deps;
  const names = config.repositories.map((r) => r.name);
  const file = await readLocalState(path);
  let reason: string | null = typeof file === "string" ? file : null;
  if (typeof file !== "string" && (file.hostname !== config.hostname || file.config !== config.file)) {
    reason = "the cached state belongs to another config";
  }
  if (reason === null && !(await deps.daemonRunning())) reason = "the daemon is not running";
  const cached = new Map<string, RepoStatus>();
  if (reason === null && typeof file !== "string") {
    await Promise.all(config.repositories.map(async (repo) => {
      const entry = file.repositories[repo.name];
      if (entry && entry.status.path === repo.path && await stillCurrent(entry)) {
        cached.set(repo.name, entry.status);
      }
    }));
  }
  const stale = names.filter((name) => !cached.has(name));
  if (reason === null && stale.length > 0) reason = "changed since the daemon last read them";
  const live = new Map((await read(deps, stale)).map((s) => [s.name, s]));
  return {
    states: names.flatMap((name) => cached.get(name) ?? live.get(name) ?? []),
    source: { mode: "cache", live: stale, reason },
  };
}

async function read(deps: LeaveDeps, names: string[]): Promise<RepoStatus[]> {
  if (names.length === 0) return [];
  const wanted = new Set(names);
  const config = { ...deps.config, repositories: deps.config.repositories.filter((r) => wanted.has(r.name)) };
  // Loaded only when git must be read: the prompt form, answered from the cache, never pays for it.
  const { localSnapshot } = await import("../report/local_snapshot.ts");
  const snapshot = await localSnapshot(config, deps.runner, deps.now);
  return snapshot.repositories.get(config.hostname) ?? [];
}

/**
 * The push itself reached the remote; what waits is telling the other machines, which otherwise learn of it
 * only at their next full update. A running daemon sends it when AWS answers; without one, a run does.
 */
function unannounced(count: number, daemonRunning: boolean): Risk {
  const events = `${count} push${count > 1 ? "es" : ""} not yet announced`;
  return daemonRunning
    ? {
      kind: "unannounced",
      detail: `${events} (the daemon sends them when AWS answers)`,
      remedies: [{ program: "gitargus", args: ["doctor"] }],
    }
    : { kind: "unannounced", detail: events, remedies: [{ program: "gitargus", args: ["run", "--once"] }] };
}

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
