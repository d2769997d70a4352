/** The `status` table: one row per repository and machine, what needs attention first. */

import { age, dirtySummary, rows, type StatusReport } from "../report/status_report.ts";
import type { RepoState } from "../git/repo_status.ts";
import { type Palette, palette, table } from "./output.ts";

export function renderStatus(
  report: StatusReport,
  localHost: string,
  timezone: string | undefined,
  now: Date,
): string {
  const paint = palette();
  const body = rows(report, localHost).map(({ host, repo, notes }) => [
    repo.name,
    host.online ? host.hostname : paint.dim(`${host.hostname}`),
    repo.branch ?? (repo.head ? `(${repo.head.slice(0, 7)})` : "-"),
    stateColor(repo.state, paint)(repo.state),
    repo.ahead || repo.behind ? `↑${repo.ahead} ↓${repo.behind}` : "",
    repo.clean ? paint.dim("clean") : paint.yellow(dirtySummary(repo)),
    age(repo.updatedAt, now),
    notes.join("; "),
  ]);
  const offline = report.hosts.filter((h) => !h.online).map((h) =>
    `${h.hostname} (last seen ${seen(h.heartbeatAt, timezone)})`
  );
  const lines = [
    body.length
      ? table(["REPOSITORY", "HOST", "BRANCH", "STATE", "↑↓", "CHANGES", "AGE", "NOTES"], body, paint)
      : "No repositories recorded yet: start `gitargus run` on a machine.",
  ];
  if (offline.length) lines.push("", paint.yellow(`Offline: ${offline.join(", ")}`));
  return lines.join("\n");
}

function stateColor(state: RepoState, paint: Palette) {
  switch (state) {
    case "UP_TO_DATE":
      return paint.green;
    case "DIVERGED":
    case "FAILED":
    case "MISSING":
      return paint.red;
    case "AHEAD":
    case "BEHIND":
      return paint.yellow;
    default:
      return paint.cyan;
  }
}

/** Stored times are UTC; they are shown in the configured timezone. */
function seen(iso: string | null, timezone: string | undefined): string {
  if (!iso) return "never";
  return new Intl.DateTimeFormat("en-GB", {
    dateStyle: "short",
    timeStyle: "short",
    ...(timezone ? { timeZone: timezone } : {}),
  }).format(new Date(iso));
}
