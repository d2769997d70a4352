/**
 * Attention where you are: `leave` (what on this machine no other machine can get) and `arrive` (what the
 * other machines did while this one was away). The daemon keeps the local state cache `leave --local` reads.
 */

export { type LeaveDeps, type LeaveReport, leaveReport, type LeaveSource, type RepoAtRisk } from "./leave.ts";
export { type ArrivalReport, arrivalReport, type NotApplied, type WorkElsewhere } from "./arrive.ts";
export { lastActive, parseSince, recordRun } from "./last_active.ts";
export { LocalStateWriter } from "./local_state.ts";
export { type Remedy, type Risk, RISK_KINDS, type RiskKind } from "./risks.ts";
