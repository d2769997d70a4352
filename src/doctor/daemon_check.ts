/**
 * Whether a daemon actually runs for this config: one holds the instance lock (so a process is alive, run by
 * the service manager or by hand) and this host's heartbeat in the store is fresh (so it is not stuck). A
 * unit file alone proves neither.
 */

import type { HostRecord } from "../store/store.ts";
import { isOnline } from "../report/status_report.ts";
import { CHECK, type CheckResult, fail, INSTALL_SERVICE, pass, skip } from "./checks.ts";

/** What the instance lock says: who holds it, from its content, and whether that pid is alive. */
export interface DaemonProbe {
  held: boolean;
  lockFile: string;
  owner?: { pid: number; startedAt: string; command: string; terminal: boolean };
  /** null when it could not be asked. */
  pidAlive?: boolean | null;
}

/** This host's record in the store, or why it could not be read. */
export type HeartbeatFact =
  | { kind: "found"; record: HostRecord }
  | { kind: "none" }
  | { kind: "unreadable"; reason: string };

export const START_DAEMON = "start it: `gitargus run` in a terminal, or " +
  INSTALL_SERVICE.replace(/^run /, "");

export function daemonCheck(
  hostname: string,
  probe: DaemonProbe,
  heartbeat: HeartbeatFact,
  now: Date,
): CheckResult {
  const beat = describeHeartbeat(hostname, heartbeat, now);
  if (!probe.held) {
    const elsewhere = beat.fresh
      ? `, yet ${beat.text} (a daemon with another config, or another machine of that name)`
      : "";
    return fail(
      CHECK.daemon,
      `no daemon runs with this config (${probe.lockFile} is free)${elsewhere}`,
      START_DAEMON,
    );
  }
  const who = describeOwner(probe);
  if (beat.fresh === null) return skip(CHECK.daemon, `${who} runs; ${beat.text}`);
  if (!beat.fresh) {
    return fail(
      CHECK.daemon,
      `${who} runs but ${beat.text}`,
      "read its log (~/.gitargus/gitargus.log) and restart it",
    );
  }
  return pass(CHECK.daemon, `${who} runs, ${beat.text}`);
}

/** The holder as the lock file names it; a holder that did not write its name yet is still a daemon. */
export function describeOwner(probe: DaemonProbe): string {
  const owner = probe.owner;
  if (!owner) return "a daemon";
  const how = owner.terminal ? "by hand, from a terminal" : "in the background";
  const dead = probe.pidAlive === false ? ` (pid ${owner.pid} is not visible here)` : "";
  return `pid ${owner.pid} ("${owner.command}", ${how}, since ${
    owner.startedAt.replace(/\.\d+Z$/, "Z")
  })${dead}`;
}

function describeHeartbeat(
  hostname: string,
  heartbeat: HeartbeatFact,
  now: Date,
): { fresh: boolean | null; text: string } {
  switch (heartbeat.kind) {
    case "unreadable":
      return { fresh: null, text: `its heartbeat cannot be read: ${heartbeat.reason}` };
    case "none":
      return { fresh: false, text: `the store holds no heartbeat from "${hostname}"` };
    case "found": {
      const { record } = heartbeat;
      const age = `${ago(now.getTime() - Date.parse(record.heartbeatAt))} ago`;
      if (record.stoppedAt) return { fresh: false, text: `the store says "${hostname}" stopped ${age}` };
      return isOnline(record, now)
        ? { fresh: true, text: `last heartbeat from "${hostname}" ${age}` }
        : { fresh: false, text: `the last heartbeat from "${hostname}" is ${age}, too old` };
    }
  }
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
