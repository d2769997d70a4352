import assert from "node:assert/strict";
import { buildReport, isOnline, unreadableLine } from "./status_report.ts";
import type { StoreSnapshot, UnreadableRecord } from "../store/store.ts";
import { hostRecord, NOW, repo } from "./_testing.ts";

const UNREADABLE: UnreadableRecord[] = [
  { hostname: "a", key: "REPO#project1/repo1", reason: "its data is not JSON" },
  { hostname: "a", key: "HOST", reason: "heartbeatAt: is missing" },
  { hostname: "b", key: "REPO#other", reason: "ahead: is missing" },
];

function snapshot(unreadable?: UnreadableRecord[]): StoreSnapshot {
  return { hosts: [], repositories: new Map(), ...(unreadable ? { unreadable } : {}) };
}

Deno.test("buildReport() lists every unreadable record, none when the snapshot has none", () => {
  assert.deepEqual(buildReport(snapshot(UNREADABLE), NOW).unreadable, UNREADABLE);
  assert.deepEqual(buildReport(snapshot(), NOW).unreadable, []);
});

Deno.test("buildReport() applies the host filter to unreadable records", () => {
  assert.deepEqual(buildReport(snapshot(UNREADABLE), NOW, { host: "b" }).unreadable, [UNREADABLE[2]]);
});

Deno.test("buildReport() applies the repository filter to unreadable repository records only", () => {
  const report = buildReport(snapshot(UNREADABLE), NOW, { repo: "repo1" });
  assert.deepEqual(report.unreadable, [UNREADABLE[0]]);
});

Deno.test("unreadableLine() names the record, its host and the reason", () => {
  assert.equal(
    unreadableLine(UNREADABLE[0]!),
    "record REPO#project1/repo1 of host a is unreadable: its data is not JSON",
  );
});

Deno.test("isOnline() takes a heartbeat from the future as one from now", () => {
  assert.equal(
    isOnline(hostRecord("h", { heartbeatAt: new Date(NOW.getTime() + 120_000).toISOString() }), NOW),
    true,
  );
  assert.equal(
    isOnline(hostRecord("h", { heartbeatAt: new Date(NOW.getTime() + 86_400_000).toISOString() }), NOW),
    true,
  );
});

Deno.test("buildReport() keeps a record's fields from a newer version", () => {
  const newer = { ...repo("r"), addedLater: true };
  const report = buildReport({ hosts: [], repositories: new Map([["h", [newer]]]) }, NOW);
  assert.equal((report.hosts[0]?.repositories[0] as unknown as { addedLater: boolean }).addedLater, true);
});
