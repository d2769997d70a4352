/** The `status` table: one row per repository and machine, what needs attention first. */

import {
  age,
  dirtySummary,
  eventVersionWarning,
  rows,
  type StatusReport,
  unreadableLine,
} from "../report/status_report.ts";
import { escapeText } from "../util/escape.ts";
import { hostSummaries, type HostSummary, summaryLine } from "../report/summary.ts";
import type { RepoState, RepoStatus } from "../state/repo_status.ts";
import { type Palette, palette, safe, table } from "./output.ts";
import { localItems, renderItems } from "./attention_view.ts";
import type { MissingRepository } from "../clone/mod.ts";
import { shellQuote } from "../util/shell.ts";

export interface ViewOptions {
  /** Terminal width: the NOTES column is cut to fit. */
  width?: number | undefined;
  /** `--attention`: an empty table means nothing needs attention, not that nothing is recorded. */
  attentionOnly?: boolean;
  /** Per-machine counts; by default those of `report` (pass the unfiltered ones under `--attention`). */
  summaries?: HostSummary[];
  /** Repositories other machines have and this one lacks. */
  missing?: readonly MissingRepository[];
}

const MISSING_LISTED = 10;

export function renderStatus(
  report: StatusReport,
  localHost: string,
  timezone: string | undefined,
  now: Date,
  options: ViewOptions = {},
): string {
  const paint = palette();
  const body = rows(report, localHost).map(({ host, repo, notes }) => [
    safe(repo.name),
    host.online ? safe(host.hostname) : paint.dim(safe(host.hostname)),
    repo.branch !== null ? safe(repo.branch) : repo.head ? `(${safe(repo.head.slice(0, 7))})` : "-",
    stateColor(repo.state, paint)(repo.state),
    repo.ahead || repo.behind ? `↑${repo.ahead} ↓${repo.behind}` : "",
    changesCell(repo, paint),
    age(repo.updatedAt, now),
    safe(notes.join("; ")),
  ]);
  const offline = report.hosts.filter((h) => !h.online && h.mode !== "once").map((h) =>
    `${safe(h.hostname)} (last seen ${seen(h.heartbeatAt, timezone)})`
  );
  // No heartbeat follows a `run --once`: such a machine is not offline, its rows are as of its last run.
  const ranOnce = report.hosts.filter((h) => !h.online && h.mode === "once").map((h) =>
    `${safe(h.hostname)} (${seen(h.heartbeatAt, timezone)}, ${age(h.heartbeatAt, now)} ago)`
  );
  const header = ["REPOSITORY", "HOST", "BRANCH", "STATE", "↑↓", "CHANGES", "AGE", "NOTES"];
  const items = options.attentionOnly
    ? renderItems(localItems(report, localHost), localHost, now, paint)
    : [];
  const lines = [
    body.length
      ? table(header, body, paint, options.width)
      : options.attentionOnly
      ? (items.length ? "No repository needs attention." : "Nothing needs attention.")
      : "No repositories recorded yet: start `gitargus run` on a machine.",
  ];
  if (items.length) lines.push("", ...items);
  if (offline.length) lines.push("", paint.yellow(`Offline: ${offline.join(", ")}`));
  if (ranOnce.length) lines.push("", `Last run: ${ranOnce.join(", ")}`);
  const versions = eventVersionWarning(report);
  if (versions) lines.push("", paint.yellow(safe(versions)));
  // A damaged record's key and text come from anyone with table access: escaped like any outside text.
  const unreadable = (report.unreadable ?? []).map((r) => paint.red(escapeText(unreadableLine(r))));
  if (unreadable.length) lines.push("", ...unreadable);
  if (options.missing?.length) lines.push("", ...missingLines(options.missing));
  const summaries = options.summaries ?? hostSummaries(report);
  if (summaries.length) lines.push("", ...summaries.map((s) => safe(summaryLine(s))));
  return lines.join("\n");
}

/** "missing here: api (from laptop) — gitargus clone api", and a line for the rest beyond the first ten. */
function missingLines(missing: readonly MissingRepository[]): string[] {
  const lines = missing.slice(0, MISSING_LISTED).map((m) =>
    safe(`missing here: ${m.name} (from ${m.hosts.join(", ")}) — gitargus clone ${shellQuote(m.name)}`)
  );
  if (missing.length > MISSING_LISTED) {
    lines.push(`missing here: ${missing.length - MISSING_LISTED} more — gitargus clone --missing`);
  }
  return lines;
}

/** A repository that could not be read has no changes to count: "-" rather than a reassuring "clean". */
function changesCell(repo: RepoStatus, paint: Palette): string {
  if (repo.head === null && (repo.state === "MISSING" || repo.state === "FAILED")) return paint.dim("-");
  return repo.clean ? paint.dim("clean") : paint.yellow(dirtySummary(repo));
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
