import type { GlobalOptions } from "../context.ts";
import { loadCliConfig } from "../context.ts";
import { createStore } from "../../aws/services.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { currentTime } from "../../util/clock.ts";
import { REPO_PREFIX } from "../../store/store.ts";
import { localSnapshot } from "../../report/local_snapshot.ts";
import { buildReport, type ReportFilter } from "../../report/status_report.ts";
import { requireMatch } from "../../report/filter.ts";
import { hostSummaries, onlyAttention } from "../../report/summary.ts";
import * as out from "../output.ts";
import { renderStatus } from "../status_view.ts";

export interface StatusOptions {
  json?: boolean;
  host?: string;
  repo?: string;
  local?: boolean;
  attention?: boolean;
}

export async function statusCommand(globals: GlobalOptions, options: StatusOptions): Promise<void> {
  const config = await loadCliConfig(globals);
  const now = currentTime();
  const snapshot = options.local
    ? await localSnapshot(
      config,
      new DenoGitRunner({ parallelism: config.daemon.parallelism }),
      currentTime,
    )
    : await (await createStore(config)).snapshot();
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
  if (options.json) out.json(report);
  else {
    out.line(renderStatus(report, config.hostname, config.timezone, now, {
      width: out.terminalColumns(),
      attentionOnly: options.attention === true,
      summaries: hostSummaries(built),
    }));
  }
}
