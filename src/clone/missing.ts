/**
 * Repositories other machines have and this one lacks: every name another machine recorded with a URL
 * whose folder does not exist under this machine's root. That covers a repository never configured here and
 * a configured one whose folder is gone (state MISSING).
 */

import type { StoreSnapshot } from "../store/store.ts";
import { matchesRepo } from "../config/repository_name.ts";
import { join } from "../util/path.ts";
import { nameProblem } from "./target.ts";

export interface MissingRepository {
  name: string;
  /** The URL of the most recently updated record among the machines that have it. */
  remoteUrl: string;
  /** The machines that have it, most recently updated first. */
  hosts: string[];
}

export async function missingHere(
  snapshot: StoreSnapshot,
  here: { hostname: string; root: string },
  repo?: string,
): Promise<MissingRepository[]> {
  const found = new Map<string, Array<{ host: string; url: string; at: string }>>();
  for (const [host, repos] of snapshot.repositories) {
    if (host === here.hostname) continue;
    for (const status of repos) {
      if (!status.remoteUrl || nameProblem(status.name) || !matchesRepo(status.name, repo)) continue;
      const list = found.get(status.name) ?? [];
      list.push({ host, url: status.remoteUrl, at: status.updatedAt });
      found.set(status.name, list);
    }
  }
  const missing: MissingRepository[] = [];
  for (const [name, list] of found) {
    if (await Deno.lstat(join(here.root, name)).then(() => true, () => false)) continue;
    list.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    missing.push({ name, remoteUrl: list[0]!.url, hosts: list.map((l) => l.host) });
  }
  return missing.sort((a, b) => a.name.localeCompare(b.name));
}
