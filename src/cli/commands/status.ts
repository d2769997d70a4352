import type { GlobalOptions } from "../context.ts";
import { loadCliConfig } from "../context.ts";
import { createStore } from "../../aws/services.ts";
import { currentTime } from "../../util/clock.ts";
import { REPO_PREFIX, type StoreSnapshot } from "../../store/store.ts";
import type { Config } from "../../config/types.ts";
import { lazy } from "../../lazy.ts";
import { buildReport, type ReportFilter } from "../../report/status_report.ts";
import { requireMatch } from "../../report/filter.ts";
import { hostSummaries, onlyAttention } from "../../report/summary.ts";
import * as out from "../output.ts";
import { renderStatus } from "../status_view.ts";
import { missingHere } from "../../clone/missing.ts";

export interface StatusOptions {
  json?: boolean;
  host?: string;
  repo?: string;
  local?: boolean;
  attention?: boolean;
}

export async function statusCommand(globals: GlobalOptions, options: StatusOptions): Promise<void> {
  // The resolved copy while the file is unchanged: parsing and validating YAML is a good part of a run.
  const config = await loadCliConfig(globals, { cached: true });
  const now = currentTime();
  const snapshot = options.local ? await readLocal(config) : await (await createStore(config)).snapshot();
  const filter: ReportFilter = {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.repo !== undefined ? { repo: options.repo } : {}),
  };
  // A host or repository known only from an unreadable record still exists: filtering for it shows that line.
  const unreadable = (snapshot.unreadable ?? []).filter((u) =>
    options.host === undefined || u.hostname === options.host
  );
  const hostnames = [
    ...new Set([
      ...snapshot.hosts.map((h) => h.hostname),
      ...snapshot.repositories.keys(),
      ...(snapshot.unreadable ?? []).map((u) => u.hostname),
    ]),
  ];
  requireMatch("host", options.host, hostnames);
  const repositories = [...snapshot.repositories]
    .filter(([host]) => options.host === undefined || host === options.host)
    .flatMap(([, repos]) => repos.map((r) => r.name))
    .concat(
      unreadable.filter((u) => u.key.startsWith(REPO_PREFIX)).map((u) => u.key.slice(REPO_PREFIX.length)),
    );
  requireMatch("repository", options.repo, repositories);
  const built = buildReport(snapshot, now, filter);
  const report = options.attention ? onlyAttention(built) : built;
  // Only the store knows what the others have, and only for this machine is anything missing "here".
  const missing = options.local || (options.host !== undefined && options.host !== config.hostname)
    ? []
    : await missingHere(snapshot, config, options.repo);
  if (options.json) out.json({ ...report, missingHere: missing });
  else {
    out.line(renderStatus(report, config.hostname, config.timezone, now, {
      width: out.terminalColumns(),
      attentionOnly: options.attention === true,
      summaries: hostSummaries(built),
      missing,
    }));
  }
}

/** git's side (runner, repository reads) is loaded only here: a read of the store needs none of it. */
async function readLocal(config: Config): Promise<StoreSnapshot> {
  const { localSnapshot, DenoGitRunner } = await lazy<typeof import("../../report/local_snapshot.ts")>(
    "localSnapshot",
  );
  return await localSnapshot(
    config,
    new DenoGitRunner({ parallelism: config.daemon.parallelism }),
    currentTime,
  );
}
