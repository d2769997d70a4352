/** How `leave` and `arrive` print: one line per repository with what to run, the prompt line, and JSON. */

import type { ArrivalReport, LeaveReport, Remedy, Risk } from "../presence/mod.ts";
import { age, shortReason } from "../report/status_report.ts";
import { shellQuote } from "../util/shell.ts";
import { type Palette, safe, table } from "./output.ts";

/** A folder as the user would type it from `cwd`: relative below it, absolute elsewhere. */
export type Where = (dir: string) => string;

export function whereFrom(cwd: string | null): Where {
  return (dir) => {
    if (cwd === null) return dir;
    if (dir === cwd) return ".";
    const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
    return dir.startsWith(base) ? dir.slice(base.length) : dir;
  };
}

export function commandLine(remedy: Remedy, where: Where): string {
  const args = remedy.args.map(shellQuote).join(" ");
  return remedy.program === "git" && remedy.dir !== undefined
    ? `git -C ${shellQuote(where(remedy.dir))} ${args}`
    : `${remedy.program} ${args}`;
}

function commandsOf(risks: readonly Risk[], where: Where): string[] {
  return [...new Set(risks.flatMap((risk) => risk.remedies.map((r) => commandLine(r, where))))];
}

export const SAFE_TO_LEAVE = "Nothing here is at risk: you can leave this machine.";

export function renderLeave(report: LeaveReport, where: Where, paint: Palette): string {
  if (!report.atRisk) return paint.green(SAFE_TO_LEAVE);
  const body = report.repositories.map((repo) => [
    paint.bold(safe(repo.name)),
    safe(repo.risks.map((r) => r.detail).join(", ")),
    paint.cyan(safe(commandsOf(repo.risks, where).join("; "))),
  ]);
  const n = report.repositories.length;
  const summary = `${n} repositor${n === 1 ? "y holds" : "ies hold"} work no other machine can get.`;
  return `${table(["REPOSITORY", "AT RISK", "RUN"], body, paint)}\n\n${paint.yellow(summary)}`;
}

/** The prompt segment: nothing when all is safe. */
export function promptLine(report: LeaveReport): string | null {
  return report.atRisk ? `⚠ ${report.repositories.length} at risk` : null;
}

/** `leave --json`: commands spelled with absolute folders, so a script may run them from anywhere. */
export function leaveJson(report: LeaveReport): unknown {
  const where: Where = (dir) => dir;
  return {
    ...report,
    repositories: report.repositories.map((repo) => ({
      ...repo,
      risks: repo.risks.map(({ remedies, ...risk }) => ({
        ...risk,
        commands: commandsOf([{ ...risk, remedies }], where),
      })),
      commands: commandsOf(repo.risks, where),
    })),
  };
}

export function arrivalJson(report: ArrivalReport): unknown {
  const where: Where = (dir) => dir;
  return {
    ...report,
    notApplied: report.notApplied.map(({ remedies, ...item }) => ({
      ...item,
      commands: remedies.map((r) => commandLine(r, where)),
    })),
    atRiskElsewhere: report.atRiskElsewhere.map((host) => ({
      ...host,
      repositories: host.repositories.map((repo) => ({
        name: repo.name,
        risks: repo.risks.map(({ remedies: _remedies, ...risk }) => risk),
      })),
    })),
  };
}

const SINCE_WORDS: Record<ArrivalReport["sinceFrom"], string> = {
  "option": "as asked",
  "last-leave": "your last `gitargus leave` here",
  "last-arrive": "your last `gitargus arrive` here",
  "daemon-stop": "when this machine's daemon stopped",
  "daemon-start": "when this machine's daemon started",
  "default": "a day ago; nothing here says when you were last active",
};

export function renderArrival(report: ArrivalReport, where: Where, paint: Palette): string {
  const now = new Date(report.generatedAt);
  const out = [`Since ${report.since.replace(/\.\d+Z$/, "Z")} (${SINCE_WORDS[report.sinceFrom]}):`];
  const section = (title: string, rows: string[][]) => {
    if (rows.length === 0) return;
    out.push(
      "",
      paint.bold(title),
      ...table(["", "", ""], rows.map((r) => ["", ...r]), paint).split("\n").slice(1),
    );
  };
  section(
    "Fast-forwarded here:",
    report.fastForwarded.map((f) => [
      safe(f.name),
      `${safe(f.branch ?? "HEAD")} → ${(f.head ?? "").slice(0, 7)}, ${age(f.at, now)} ago`,
    ]),
  );
  section(
    "Not applied here:",
    report.notApplied.map((n) => [
      safe(n.name),
      `${n.state}: ${safe(shortReason(n.reason))}`,
      paint.cyan(safe(n.remedies.map((r) => commandLine(r, where)).join("; "))),
    ]),
  );
  section(
    "At risk on other machines:",
    report.atRiskElsewhere.flatMap((host) =>
      host.repositories.map((repo) => [
        safe(host.hostname) +
        (host.online ? "" : paint.yellow(` (offline, last seen ${age(host.lastSeen, now)} ago)`)),
        safe(repo.name),
        safe(repo.risks.map((r) => r.detail).join(", ")),
      ])
    ),
  );
  const offline = report.atRiskElsewhere.filter((h) => report.offlineWithUnpushed.includes(h.hostname));
  section(
    "Offline with unpushed work:",
    offline.map((h) => [
      paint.yellow(safe(h.hostname)),
      `${h.unpushedCommits} unpushed commit${h.unpushedCommits === 1 ? "" : "s"}, last seen ${
        age(h.lastSeen, now)
      } ago`,
    ]),
  );
  if (out.length === 1) {
    out.push("Nothing new: no push applied or held back here, no work at risk on another machine.");
  }
  return out.join("\n");
}
