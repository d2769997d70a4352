/** What the others have and this machine lacks, from a report, as `status --json` says it (`missingHere`). */

import type { StatusReport } from "../report/status_report.ts";
import { missingHere, type MissingRepository } from "../clone/mod.ts";

export type MissingOf = (report: StatusReport) => Promise<MissingRepository[]>;

/** Without this machine's root nothing is known to be missing here. */
export function missingOf(here: { hostname: string; root?: string | undefined }): MissingOf {
  const { hostname, root } = here;
  if (root === undefined) return () => Promise.resolve([]);
  return (report) => {
    const repositories = new Map(report.hosts.map((h) => [h.hostname, h.repositories]));
    return missingHere({ hosts: [], repositories }, { hostname, root });
  };
}
