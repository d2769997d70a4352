/**
 * What `gitargus clone NAME…` or `clone --missing` would do: for each repository, the URL another machine
 * recorded and the folder under this root, or why it is refused. Nothing here runs git or writes anything.
 */

import type { StoreSnapshot } from "../store/store.ts";
import { matchesRepo } from "../config/repository_name.ts";
import { missingHere, type MissingRepository } from "./missing.ts";
import { cloneTarget } from "./target.ts";
import { cloneUrlProblem } from "./url.ts";

export interface PlannedClone {
  name: string;
  url: string;
  /** The machines that have it, the one whose URL is used first. */
  hosts: string[];
  path: string;
  /** Other machines recorded other URLs for it: the newest one is used. */
  otherUrls: string[];
}

export type PlanEntry = { ok: true; clone: PlannedClone } | { ok: false; name: string; reason: string };

export interface Here {
  hostname: string;
  root: string;
}

/** `names` of repositories, or every missing one for `"missing"`. */
export async function planClones(
  snapshot: StoreSnapshot,
  here: Here,
  wanted: readonly string[] | "missing",
): Promise<PlanEntry[]> {
  if (wanted === "missing") {
    return await Promise.all(
      (await missingHere(snapshot, here)).map((m) => planOne(snapshot, here, m.name, m)),
    );
  }
  const recorded = recordedNames(snapshot, here.hostname);
  const entries: PlanEntry[] = [];
  for (const want of new Set(wanted)) {
    const exact = recorded.includes(want) ? [want] : recorded.filter((name) => matchesRepo(name, want));
    if (exact.length !== 1) {
      const reason = exact.length === 0
        ? `no other machine recorded a repository named ${JSON.stringify(want)}` + known(recorded)
        : `${JSON.stringify(want)} names several repositories: ${exact.join(", ")}`;
      entries.push({ ok: false, name: want, reason });
      continue;
    }
    entries.push(await planOne(snapshot, here, exact[0]!));
  }
  return entries;
}

async function planOne(snapshot: StoreSnapshot, here: Here, name: string, missing?: MissingRepository) {
  const records = [...snapshot.repositories]
    .filter(([host]) => host !== here.hostname)
    .flatMap(([host, repos]) => repos.filter((r) => r.name === name).map((r) => ({ host, status: r })))
    .sort((a, b) => Date.parse(b.status.updatedAt) - Date.parse(a.status.updatedAt));
  const withUrl = records.filter((r) => r.status.remoteUrl);
  const url = missing?.remoteUrl ?? withUrl[0]?.status.remoteUrl;
  if (!url) {
    return fail(name, `no machine recorded where ${name} is cloned from (its daemons predate URL records)`);
  }
  const problem = cloneUrlProblem(url);
  if (problem) return fail(name, `the recorded URL ${JSON.stringify(url)} is refused: ${problem}`);
  const target = await cloneTarget(here.root, name);
  if (!target.ok) return fail(name, target.reason);
  const otherUrls = [...new Set(withUrl.map((r) => r.status.remoteUrl!).filter((u) => u !== url))];
  return {
    ok: true as const,
    clone: { name, url, hosts: records.map((r) => r.host), path: target.path, otherUrls },
  };
}

function fail(name: string, reason: string): PlanEntry {
  return { ok: false, name, reason };
}

function recordedNames(snapshot: StoreSnapshot, self: string): string[] {
  const names = new Set<string>();
  for (const [host, repos] of snapshot.repositories) {
    if (host !== self) { for (const repo of repos) names.add(repo.name); }
  }
  return [...names].sort();
}

function known(names: string[]): string {
  if (names.length === 0) return " (none recorded yet)";
  const shown = names.slice(0, 12).join(", ");
  return `; known: ${shown}${names.length > 12 ? `, … (${names.length} in all)` : ""}`;
}
