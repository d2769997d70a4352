/**
 * What a starting daemon learns from the store about its own host: the states already stored (so nothing
 * unchanged is written again), the highest revision (so its writes number above every earlier one), and the
 * records of repositories no longer configured, which it removes. An unreadable record of a configured
 * repository is overwritten by its first write; others are removed.
 */

import { REPO_PREFIX, type Store } from "../store/store.ts";
import type { Logger } from "../log/logger.ts";
import type { StateWriter } from "./state_writer.ts";

export interface SeedDeps {
  store: Store;
  hostname: string;
  log: Logger;
  writer: Pick<StateWriter, "learnRevision" | "knowStored">;
  configured: (name: string) => boolean;
}

export async function seedFromStore(deps: SeedDeps): Promise<void> {
  const { hostname, store, log, writer } = deps;
  const items = await store.hostItems(hostname);
  writer.learnRevision(items.highestRevision);
  const unconfigured = new Set<string>();
  for (const status of items.repositories) {
    if (deps.configured(status.name)) writer.knowStored(status);
    else unconfigured.add(status.name);
  }
  for (const { key, reason } of items.unreadable) {
    log.warn("The stored record {key} of this host is unreadable ({reason}); it will be replaced", {
      key,
      reason,
    });
    const name = key.startsWith(REPO_PREFIX) ? key.slice(REPO_PREFIX.length) : null;
    if (name !== null && !deps.configured(name)) unconfigured.add(name);
  }
  for (const name of unconfigured) await deleteRecord(deps, name);
}

export async function deleteRecord(deps: Pick<SeedDeps, "store" | "hostname" | "log">, name: string) {
  deps.log.info("Removing {name} from the store: it is no longer configured", { name });
  await deps.store.deleteRepository(deps.hostname, name);
}
