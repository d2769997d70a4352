/** How `status` reads a machine's lifecycle: its mode, its last run, its event version. */

import assert from "node:assert/strict";
import { ago, dirty, hostRecord, hostReport, NOW, repo, report, snapshot } from "./_testing.ts";
import {
  buildReport,
  eventVersionWarning,
  presence,
  rank,
  rows,
  type StatusReport,
} from "./status_report.ts";

function order(built: StatusReport, localHost: string | null = "local"): string[] {
  return rows(built, localHost).map((r) => `${r.host.hostname}:${r.repo.name}`);
}

Deno.test("buildReport() copies the mode and event version of each host record", () => {
  const built = buildReport(
    snapshot([hostRecord("ci", { mode: "once", eventVersion: 2 }), hostRecord("old")], {}),
    NOW,
  );
  assert.deepEqual(built.hosts.map((h) => [h.hostname, h.mode, h.eventVersion]), [
    ["ci", "once", 2],
    ["old", null, null],
  ]);
});

Deno.test("rows() notes a run-once machine by its last run, not as offline", () => {
  const ci = { ...hostReport("ci", [repo("x")], false), mode: "once" as const, heartbeatAt: ago(7200) };
  assert.deepEqual(rows(report(ci), "local").map((r) => r.notes), [["last run 2h ago"]]);
});

Deno.test("presence() calls a stopped machine stopped and any other silent one offline", () => {
  const silent = hostReport("a", [], false);
  assert.equal(presence(silent, NOW), "machine offline");
  assert.equal(presence({ ...silent, mode: null }, NOW), "machine offline");
  assert.equal(presence({ ...silent, stoppedAt: ago(60) }, NOW), "machine stopped");
  assert.equal(presence({ ...silent, mode: "once", heartbeatAt: ago(30) }, NOW), "last run 30s ago");
});

Deno.test("rank() puts another offline machine's failure below this machine's own problems", () => {
  const failed = repo("a", { state: "FAILED" });
  const own = rank(repo("b", { state: "DIVERGED", ahead: 0 }), hostReport("local", []), "local");
  assert.ok(own < rank(failed, hostReport("other", [], false), "local"));
  assert.equal(rank(failed, hostReport("other", [], true), "local"), own, "online problems stay problems");
});

Deno.test("rank() keeps unpushed work on an offline machine first of all", () => {
  const offline = hostReport("other", [], false);
  assert.equal(rank(dirty("a"), offline, "local"), 0);
  assert.equal(rank(repo("a", { ahead: 2, state: "AHEAD" }), offline, "local"), 0);
});

Deno.test("rank() keeps this machine's own problems ranked as problems while its daemon is off", () => {
  const failed = repo("a", { state: "FAILED" });
  assert.equal(
    rank(failed, hostReport("local", [], false), "local"),
    rank(failed, hostReport("local", [], true), "local"),
  );
});

Deno.test("rows() sorts a quiet offline machine's rows below the viewer's own problems", () => {
  const built = report(
    hostReport("gone", [repo("a", { state: "FAILED" }), repo("b", { operation: "merge" })], false),
    hostReport("local", [repo("z", { state: "DIVERGED", ahead: 0 })]),
    { ...hostReport("ci", [repo("c", { state: "FAILED" })], false), mode: "once" },
  );
  assert.deepEqual(order(built), ["local:z", "gone:a", "gone:b", "ci:c"]);
});

Deno.test("eventVersionWarning() names each machine's event version when they differ", () => {
  const built = report(
    { ...hostReport("laptop", []), eventVersion: 1 },
    { ...hostReport("desktop", []), eventVersion: 2 },
  );
  assert.equal(
    eventVersionWarning(built),
    "warning: machines run different event versions: laptop 1, desktop 2",
  );
});

Deno.test("eventVersionWarning() says nothing when the machines agree or a version is unknown", () => {
  assert.equal(eventVersionWarning(report(hostReport("a", []), hostReport("b", []))), null);
  assert.equal(
    eventVersionWarning(report(hostReport("a", []), { ...hostReport("b", []), eventVersion: null })),
    null,
  );
  assert.equal(eventVersionWarning(report()), null);
});

Deno.test("eventVersionWarning() lists the machines in the order of the report", () => {
  const built = buildReport(
    snapshot([hostRecord("old", { eventVersion: 1 }), hostRecord("new", { eventVersion: 2 })], {}),
    NOW,
  );
  assert.match(eventVersionWarning(built) ?? "", /new 2, old 1$/);
});
