import assert from "node:assert/strict";
import type { HostRecord } from "../store/store.ts";
import { serviceCheck, type ServiceProbe } from "./checks.ts";
import { daemonCheck, type DaemonProbe, describeOwner, type HeartbeatFact } from "./daemon_check.ts";
import { doctorSummary } from "./summary.ts";

const NOW = new Date("2026-11-23T20:40:00.000Z");
const LOCK = "/home/me/.gitargus/locks/daemon-0123.lock";

const held: DaemonProbe = {
  held: true,
  lockFile: LOCK,
  owner: { pid: 4242, startedAt: "2026-11-23T20:00:00.123Z", command: "gitargus run", terminal: true },
  pidAlive: true,
};
const free: DaemonProbe = { held: false, lockFile: LOCK };

function beat(secondsAgo: number, extra: Partial<HostRecord> = {}): HeartbeatFact {
  const record: HostRecord = {
    hostname: "desktop",
    heartbeatAt: new Date(NOW.getTime() - secondsAgo * 1000).toISOString(),
    startedAt: "2026-11-23T20:00:00.000Z",
    heartbeatSeconds: 60,
    version: "0.1.0",
    platform: "linux-x86_64",
    root: "/home/me/Workspace",
    repositories: 2,
    lastFullUpdateAt: null,
    stoppedAt: null,
    ...extra,
  };
  return { kind: "found", record };
}

Deno.test("daemonCheck() passes for a held lock and a fresh heartbeat, naming the pid", () => {
  const result = daemonCheck("desktop", held, beat(12), NOW);
  assert.equal(result.ok, true);
  assert.equal(
    result.detail,
    'pid 4242 ("gitargus run", by hand, from a terminal, since 2026-11-23T20:00:00Z) runs, ' +
      'last heartbeat from "desktop" 12 s ago',
  );
});

Deno.test("daemonCheck() fails when no process holds the lock, whatever the store says", () => {
  const none = daemonCheck("desktop", free, { kind: "none" }, NOW);
  assert.equal(none.ok, false);
  assert.equal(none.detail, `no daemon runs with this config (${LOCK} is free)`);
  assert.match(none.fix!, /`gitargus run`.*`gitargus install-service --enable`/);
  const fresh = daemonCheck("desktop", free, beat(5), NOW);
  assert.equal(fresh.ok, false);
  assert.match(fresh.detail, /yet last heartbeat from "desktop" 5 s ago \(a daemon with another config/);
});

Deno.test("daemonCheck() fails for a running daemon whose heartbeat is old, missing or marked stopped", () => {
  const old = daemonCheck("desktop", held, beat(600), NOW);
  assert.equal(old.ok, false);
  assert.match(old.detail, /runs but the last heartbeat from "desktop" is 10 min ago, too old$/);
  assert.equal(daemonCheck("desktop", held, { kind: "none" }, NOW).ok, false);
  const stopped = daemonCheck("desktop", held, beat(30, { stoppedAt: "2026-11-23T20:39:30.000Z" }), NOW);
  assert.equal(stopped.ok, false);
  assert.match(stopped.detail, /the store says "desktop" stopped 30 s ago$/);
});

Deno.test("daemonCheck() skips the heartbeat it cannot read but still says the daemon runs", () => {
  const result = daemonCheck("desktop", held, { kind: "unreadable", reason: "AWS unreachable: x" }, NOW);
  assert.equal(result.ok, "skip");
  assert.match(result.detail, /^pid 4242 .* runs; its heartbeat cannot be read: AWS unreachable: x$/);
});

Deno.test("describeOwner() names a holder in the background, one not visible, and one not named yet", () => {
  const background = { ...held, owner: { ...held.owner!, terminal: false }, pidAlive: false };
  assert.match(describeOwner(background), /, in the background, .*\(pid 4242 is not visible here\)$/);
  assert.equal(describeOwner({ held: true, lockFile: LOCK }), "a daemon");
});

Deno.test("serviceCheck() accepts a daemon run by hand instead of a missing or stopped service", () => {
  const absent: ServiceProbe = { kind: "absent", looked: ["/u/gitargus.service"] };
  assert.equal(serviceCheck(absent).ok, false);
  const byHand = serviceCheck(absent, "pid 4242");
  assert.equal(byHand.ok, "skip");
  assert.equal(byHand.detail, "not installed; pid 4242 runs the daemon instead");
  const inactive = { kind: "systemd", unit: "gitargus.service", system: false, state: "inactive" } as const;
  assert.equal(serviceCheck(inactive).ok, false);
  assert.equal(serviceCheck(inactive, "pid 4242").ok, "skip");
  assert.equal(serviceCheck({ kind: "launchd", label: "x", loaded: false }, "pid 4242").ok, "skip");
});

Deno.test("doctorSummary() adds a status to each row and an overall status beside the boolean ok", () => {
  const pass = { name: "git", ok: true, detail: "" } as const;
  const skip = { name: "clock", ok: "skip", detail: "" } as const;
  const fail = { name: "daemon", ok: false, detail: "" } as const;
  assert.deepEqual(doctorSummary([pass]), {
    ok: true,
    status: "healthy",
    checks: [{ ...pass, status: "pass" }],
  });
  assert.equal(doctorSummary([pass, skip]).status, "degraded");
  assert.equal(doctorSummary([pass, skip]).ok, true);
  const failing = doctorSummary([pass, skip, fail]);
  assert.equal(failing.status, "failing");
  assert.equal(failing.ok, false);
  assert.deepEqual(failing.checks.map((c) => c.status), ["pass", "skip", "fail"]);
});
