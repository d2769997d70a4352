import assert from "node:assert/strict";
import { decodeHostRecord, decodeRepoStatus, MAX_RECORD_CHARS } from "./record_schema.ts";
import { emptyChanges, type RepoStatus } from "../state/repo_status.ts";
import type { HostRecord } from "./store.ts";

function status(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: RepoStatus = {
    name: "r",
    path: "/src/r",
    state: "BEHIND",
    branch: "main",
    upstream: "origin/main",
    head: "0123456789abcdef0123456789abcdef01234567",
    ahead: 0,
    behind: 2,
    clean: true,
    changes: emptyChanges(),
    stashes: 1,
    unpushedBranches: [{ name: "wip", upstream: null, ahead: 3 }],
    operation: null,
    lastFetch: { at: "2024-05-01T12:00:00.000Z", ok: true },
    sync: { at: "2024-05-01T12:00:00.000Z", result: "blocked", reason: "dirty worktree" },
    error: null,
    updatedAt: "2024-05-01T12:00:00.000Z",
  };
  return { ...base, ...overrides };
}

function host(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: HostRecord = {
    hostname: "h",
    heartbeatAt: "2024-05-01T12:00:00.000Z",
    startedAt: "2024-05-01T11:00:00.000Z",
    heartbeatSeconds: 60,
    version: "0.1.0",
    platform: "linux-x86_64",
    root: "/src",
    repositories: 3,
    lastFullUpdateAt: null,
    stoppedAt: null,
  };
  return { ...base, ...overrides };
}

function repoReason(data: string | undefined, key = "REPO#r"): string {
  const decoded = decodeRepoStatus(key, data);
  assert.equal(decoded.ok, false, "expected an unreadable record");
  return decoded.ok ? "" : decoded.reason;
}

Deno.test("decodeRepoStatus() reads a complete record as written", () => {
  const decoded = decodeRepoStatus("REPO#r", JSON.stringify(status()));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, status());
});

Deno.test("decodeRepoStatus() keeps fields of a newer version", () => {
  const decoded = decodeRepoStatus(
    "REPO#r",
    JSON.stringify(status({ unpushedCommits: 2, later: { a: [1] } })),
  );
  assert.ok(decoded.ok);
  assert.deepEqual((decoded.value as unknown as Record<string, unknown>).later, { a: [1] });
  assert.equal(decoded.value.unpushedCommits, 2);
});

Deno.test("decodeRepoStatus() gives fields an earlier version did not write their empty value", () => {
  const old = status();
  for (const field of ["stashes", "unpushedBranches", "operation", "lastFetch", "sync", "error"]) {
    delete old[field];
  }
  const decoded = decodeRepoStatus("REPO#r", JSON.stringify(old));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.stashes, 0);
  assert.deepEqual(decoded.value.unpushedBranches, []);
  assert.equal(decoded.value.operation, null);
  assert.equal(decoded.value.lastFetch, null);
  assert.equal(decoded.value.sync, null);
  assert.equal(decoded.value.error, null);
});

Deno.test("decodeRepoStatus() says when there is no data or it is not JSON", () => {
  assert.match(repoReason(undefined), /no data attribute/);
  assert.match(repoReason("{oops"), /^its data is not JSON: "\{oops"$/);
  assert.match(repoReason(""), /not JSON/);
});

Deno.test("decodeRepoStatus() says when the JSON is not an object", () => {
  assert.match(repoReason("[1,2]"), /is a list, not an object/);
  assert.match(repoReason("null"), /is null, not an object/);
  assert.match(repoReason("42"), /is number, not an object/);
  assert.match(repoReason('"text"'), /is string, not an object/);
});

Deno.test("decodeRepoStatus() names the first missing field", () => {
  const missing = status();
  delete missing.state;
  assert.equal(repoReason(JSON.stringify(missing)), "state: is missing");
  const noTime = status();
  delete noTime.updatedAt;
  assert.match(repoReason(JSON.stringify(noTime)), /^updatedAt: /);
});

Deno.test("decodeRepoStatus() names a field of the wrong type, nested ones with their path", () => {
  assert.match(repoReason(JSON.stringify(status({ ahead: "three" }))), /^ahead: .*number/);
  assert.match(repoReason(JSON.stringify(status({ clean: "yes" }))), /^clean: /);
  assert.match(
    repoReason(JSON.stringify(status({ changes: { ...emptyChanges(), staged: -1 } }))),
    /^changes\.staged: /,
  );
  assert.match(
    repoReason(JSON.stringify(status({ unpushedBranches: [{ name: 5, upstream: null, ahead: 1 }] }))),
    /^unpushedBranches\[0\]\.name: /,
  );
  assert.match(
    repoReason(JSON.stringify(status({ state: "SIDEWAYS" }))),
    /^state: "SIDEWAYS" is not one of UP_TO_DATE, /,
  );
  assert.match(repoReason(JSON.stringify(status({ updatedAt: "yesterday" }))), /^updatedAt: is not a time/);
});

Deno.test("decodeRepoStatus() refuses huge values", () => {
  assert.match(repoReason(JSON.stringify(status({ ahead: 1e300 }))), /^ahead: /);
  assert.match(repoReason(JSON.stringify(status({ error: "x".repeat(100_000) }))), /^error: /);
  assert.match(repoReason(JSON.stringify(status({ pad: "x".repeat(MAX_RECORD_CHARS) }))), /characters long/);
});

Deno.test("decodeRepoStatus() refuses a record whose name is not its key's", () => {
  assert.match(repoReason(JSON.stringify(status({ name: "other" }))), /name "other" does not match its key/);
  assert.equal(decodeRepoStatus("REPO#project/r", JSON.stringify(status({ name: "project/r" }))).ok, true);
});

Deno.test("decodeHostRecord() reads a complete record and defaults the stop time", () => {
  const record = host();
  delete record.stoppedAt;
  const decoded = decodeHostRecord("h", JSON.stringify(record));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.stoppedAt, null);
  assert.equal(decoded.value.repositories, 3);
});

Deno.test("decodeHostRecord() refuses a record naming another host", () => {
  const decoded = decodeHostRecord("h", JSON.stringify(host({ hostname: "z" })));
  assert.equal(decoded.ok, false);
  assert.match(decoded.ok ? "" : decoded.reason, /hostname "z" does not match its key HOST/);
});

Deno.test("decodeHostRecord() names a field of the wrong type", () => {
  for (
    const [field, value] of [["heartbeatAt", 5], ["heartbeatSeconds", "60"], ["heartbeatSeconds", 0], [
      "repositories",
      -1,
    ]] as const
  ) {
    const decoded = decodeHostRecord("h", JSON.stringify(host({ [field]: value })));
    assert.equal(decoded.ok, false, field);
    assert.match(decoded.ok ? "" : decoded.reason, new RegExp(`^${field}: `));
  }
});

Deno.test("decodeHostRecord() reads a record older than the mode as unknown mode and event version 1", () => {
  const decoded = decodeHostRecord("h", JSON.stringify(host()));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.mode, undefined);
  assert.equal(decoded.value.eventVersion, 1);
});

Deno.test("decodeHostRecord() keeps the mode and event version a daemon wrote", () => {
  const decoded = decodeHostRecord("h", JSON.stringify(host({ mode: "once", eventVersion: 2 })));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.mode, "once");
  assert.equal(decoded.value.eventVersion, 2);
});

Deno.test("decodeHostRecord() reads a mode of a newer version as unknown, the host still readable", () => {
  const decoded = decodeHostRecord("h", JSON.stringify(host({ mode: "container" })));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.mode, undefined);
});

Deno.test("decodeHostRecord() names an event version that is not a whole number", () => {
  const decoded = decodeHostRecord("h", JSON.stringify(host({ eventVersion: "two" })));
  assert.equal(decoded.ok, false);
  assert.match(decoded.ok ? "" : decoded.reason, /^eventVersion: /);
});

Deno.test("decodeHostRecord() keeps the daemon's attention items, and drops only that list when it is damaged", () => {
  const item = {
    id: "blocked:h:api",
    kind: "blocked",
    host: "h",
    repo: "api",
    summary: "api on h: not fast-forwarded",
    state: "local changes",
    since: "2026-12-02T10:00:00.000Z",
  };
  const kept = decodeHostRecord("h", JSON.stringify(host({ attention: [item] })));
  assert.ok(kept.ok);
  assert.deepEqual(kept.value.attention, [item]);
  const damaged = decodeHostRecord("h", JSON.stringify(host({ attention: [{ ...item, kind: "later" }] })));
  assert.ok(damaged.ok, "the machine stays readable");
  assert.equal(damaged.value.attention, undefined);
});

Deno.test("decodeRepoStatus() reads the branches a policy held, and refuses a held list that is not one", () => {
  const sync = { at: "2024-05-01T12:00:00.000Z", result: "skipped", reason: "policy", policyHeld: ["topic"] };
  const decoded = decodeRepoStatus("REPO#r", JSON.stringify(status({ sync })));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value.sync?.policyHeld, ["topic"]);
  assert.match(repoReason(JSON.stringify(status({ sync: { ...sync, policyHeld: "topic" } }))), /policyHeld/);
});
