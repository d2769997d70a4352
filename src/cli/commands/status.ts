import type { GlobalOptions } from "../context.ts";
import { loadCliConfig } from "../context.ts";
import { createStore } from "../../aws/services.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { localSnapshot } from "../../report/local_snapshot.ts";
import { buildReport, type ReportFilter } from "../../report/status_report.ts";
import * as out from "../output.ts";
import { renderStatus } from "../status_view.ts";

export interface StatusOptions {
  json?: boolean;
  host?: string;
  repo?: string;
  local?: boolean;
}

export async function statusCommand(globals: GlobalOptions, options: StatusOptions): Promise<void> {
  const config = await loadCliConfig(globals);
  const now = new Date();
  const snapshot = options.local
    ? await localSnapshot(
      config,
      new DenoGitRunner({ parallelism: config.daemon.parallelism }),
      () => new Date(),
    )
    : await (await createStore(config)).snapshot();
  const filter: ReportFilter = {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.repo !== undefined ? { repo: options.repo } : {}),
  };
  const report = buildReport(snapshot, now, filter);
  if (options.json) out.json(report);
  else out.line(renderStatus(report, config.hostname, config.timezone, now));
}
