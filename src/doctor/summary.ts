/** The doctor's verdict as `doctor --json` prints it: the rows, each with a status, and one overall. */

import type { CheckResult } from "./checks.ts";

export type CheckStatus = "pass" | "fail" | "skip";

/** "healthy": every check passed; "degraded": none failed, some could not be checked; "failing": one failed. */
export type DoctorStatus = "healthy" | "degraded" | "failing";

export interface DoctorSummary {
  /** No check failed: the exit code is 0. */
  ok: boolean;
  status: DoctorStatus;
  checks: Array<CheckResult & { status: CheckStatus }>;
}

export function checkStatus(result: CheckResult): CheckStatus {
  return result.ok === true ? "pass" : result.ok === false ? "fail" : "skip";
}

export function doctorSummary(results: readonly CheckResult[]): DoctorSummary {
  const checks = results.map((result) => ({ ...result, status: checkStatus(result) }));
  const status: DoctorStatus = checks.some((c) => c.status === "fail")
    ? "failing"
    : checks.some((c) => c.status === "skip")
    ? "degraded"
    : "healthy";
  return { ok: status !== "failing", status, checks };
}
