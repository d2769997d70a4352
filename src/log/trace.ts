/**
 * `--verbose` lines for each git process and each AWS call: what ran, where, how long it took, how it ended.
 * They are debug lines, so the log stays quiet at its normal level.
 */

import type { GitRun } from "../git/runner.ts";
import type { AwsCall } from "../aws/deadline.ts";
import type { Logger } from "./logger.ts";

export function traceGit(log: Logger): (run: GitRun) => void {
  return (run) =>
    log.debug("git {argv} in {cwd}: {outcome} after {ms} ms", {
      argv: run.argv.join(" "),
      cwd: run.cwd,
      outcome: run.code === null ? "killed or not started" : `exit ${run.code}`,
      ms: Math.round(run.ms),
    });
}

export function traceAws(log: Logger): (call: AwsCall) => void {
  return (call) =>
    log.debug("AWS {service} {operation}: {outcome}{detail} after {ms} ms", {
      service: call.service,
      operation: call.operation,
      outcome: call.outcome,
      detail: awsDetail(call),
      ms: Math.round(call.ms),
    });
}

function awsDetail(call: AwsCall): string {
  const parts = [
    ...(call.status ? [`HTTP ${call.status}`] : []),
    ...(call.attempts && call.attempts > 1 ? [`${call.attempts} attempts`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
