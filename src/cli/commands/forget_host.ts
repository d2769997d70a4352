/**
 * `gitargus forget-host NAME`: removes a machine's records (its host item and every repository item) from
 * the store, for a machine that was retired or renamed. Only records go; no repository anywhere is touched.
 */

import { createStore } from "../../aws/services.ts";
import { GitargusError, UsageError } from "../../errors.ts";
import { type HostItems, REPO_PREFIX, type StoreSnapshot } from "../../store/store.ts";
import { requireMatch } from "../../report/filter.ts";
import { age, isOnline } from "../../report/status_report.ts";
import { isLockHeld } from "../../util/file_lock.ts";
import { currentTime } from "../../util/clock.ts";
import { type GlobalOptions, instanceLockFile, loadCliConfig } from "../context.ts";
import * as out from "../output.ts";
import { type Prompter, terminalPrompter } from "./init.ts";

export interface ForgetHostOptions {
  yes?: true;
}

/** This machine's own daemon runs and would write the host again at its next heartbeat. */
export class OwnDaemonRunsError extends GitargusError {}

export async function forgetHostCommand(
  globals: GlobalOptions,
  hostname: string,
  options: ForgetHostOptions,
  prompter: Prompter = terminalPrompter,
): Promise<void> {
  // Decided by the command line alone, before any AWS call.
  if (!options.yes && !prompter.isInteractive()) {
    throw new UsageError(
      `Forgetting host ${
        JSON.stringify(hostname)
      } needs a confirmation: pass --yes when stdin is not a terminal`,
    );
  }
  const config = await loadCliConfig(globals);
  const store = await createStore(config);
  let snapshot = await store.snapshot();
  // Readers list hosts by their host record; a partition without one (made by hand, or left by an older
  // version's forget-host) is found by its name.
  if (!knownHosts(snapshot).includes(hostname)) {
    snapshot = withPartition(snapshot, hostname, await store.hostItems(hostname));
  }
  requireMatch("host", hostname, knownHosts(snapshot));

  const quoted = JSON.stringify(hostname);
  if (hostname === config.hostname) {
    // A forgotten machine whose daemon runs comes back at its next heartbeat, with only part of its records.
    if (await isLockHeld(await instanceLockFile(config))) {
      throw new OwnDaemonRunsError(
        `Cannot forget host ${quoted}: it is this machine and its daemon is running, which would record it ` +
          "again; stop the daemon first",
      );
    }
    out.error(`warning: host ${quoted} is this machine: the next \`gitargus run\` here records it again`);
  } else {
    const record = snapshot.hosts.find((h) => h.hostname === hostname);
    const now = currentTime();
    if (record && isOnline(record, now)) {
      out.error(
        `warning: host ${quoted} was active ${age(record.heartbeatAt, now)} ago: its daemon records it ` +
          "again at its next heartbeat or run unless it is stopped there first",
      );
    }
  }

  const repositories = repositoryCount(snapshot, hostname);
  if (!options.yes) {
    const answer = await prompter.ask(
      `Forget host ${quoted} and its ${repositories} ${
        repositories === 1 ? "repository" : "repositories"
      }? [y/N] `,
    );
    if (!/^\s*y(es)?\s*$/i.test(answer ?? "")) {
      out.line(`Left host ${quoted} as it was.`);
      return;
    }
  }
  const removed = await store.deleteHost(hostname);
  out.line(`Forgot host ${quoted}: ${removed} ${removed === 1 ? "record" : "records"} removed`);
}

/** A host known only from damaged records can be forgotten too: that is one way to get rid of them. */
function knownHosts(snapshot: StoreSnapshot): string[] {
  return [
    ...snapshot.hosts.map((h) => h.hostname),
    ...snapshot.repositories.keys(),
    ...(snapshot.unreadable ?? []).map((u) => u.hostname),
  ];
}

function withPartition(snapshot: StoreSnapshot, hostname: string, items: HostItems): StoreSnapshot {
  const repositories = new Map(snapshot.repositories);
  if (items.repositories.length > 0) repositories.set(hostname, items.repositories);
  return { ...snapshot, repositories, unreadable: [...snapshot.unreadable ?? [], ...items.unreadable] };
}

function repositoryCount(snapshot: StoreSnapshot, hostname: string): number {
  const damaged = (snapshot.unreadable ?? []).filter((u) =>
    u.hostname === hostname && u.key.startsWith(REPO_PREFIX)
  );
  return (snapshot.repositories.get(hostname)?.length ?? 0) + damaged.length;
}
