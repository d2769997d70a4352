import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { fastForwardLevel, ProblemNotices } from "./problem_notices.ts";
import { logger } from "../log/logger.ts";
import type { SyncResult } from "../state/repo_status.ts";

const at = "2026-01-01T00:00:00.000Z";
const sync = (result: SyncResult["result"], reason?: string): SyncResult => ({
  at,
  result,
  ...(reason ? { reason } : {}),
});

Deno.test("fastForwardLevel() warns about a new blocker and is quiet when the same one comes back", () => {
  assert.equal(fastForwardLevel(null, sync("blocked", "a lock")), "warn");
  assert.equal(fastForwardLevel(sync("blocked", "a lock"), sync("blocked", "a lock")), "debug");
  assert.equal(fastForwardLevel(sync("blocked", "a lock"), sync("blocked", "local changes")), "warn");
});

Deno.test("fastForwardLevel() tells of a move and of the end of a problem, not of nothing to do", () => {
  assert.equal(fastForwardLevel(null, sync("fast-forwarded")), "info");
  assert.equal(fastForwardLevel(sync("fast-forwarded"), sync("fast-forwarded")), "debug");
  assert.equal(fastForwardLevel(null, sync("up-to-date")), "debug");
  assert.equal(fastForwardLevel(sync("fast-forwarded"), sync("up-to-date")), "debug");
  assert.equal(fastForwardLevel(sync("skipped", "diverged"), sync("up-to-date")), "info");
});

Deno.test("fastForwardLevel() tells of a hold by the autoPull policy without warning", () => {
  assert.equal(fastForwardLevel(null, sync("skipped", "policy: autoPull is others")), "info");
  const claimed = {
    ...sync("skipped", "policy: autoPull is current; topic is checked out in ../wt"),
    retry: true,
  };
  assert.equal(fastForwardLevel(null, claimed), "warn");
});

Deno.test("ProblemNotices warns once per problem, and says once that it is gone", async () => {
  const lines: string[] = [];
  await configure({
    reset: true,
    sinks: { memory: (r: LogRecord) => lines.push(`${r.level} ${r.message.join("")}`) },
    loggers: [
      { category: ["gitargus"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
  });
  try {
    const notices = new ProblemNotices(logger("test"));
    notices.resolved("fetch", "repo1", "fine", {});
    notices.warn("fetch", "repo1", "refused", "refused", {});
    notices.warn("fetch", "repo1", "refused", "refused", {});
    notices.warn("fetch", "repo2", "refused", "other repo", {});
    notices.warn("read", "repo1", "refused", "other kind", {});
    notices.warn("fetch", "repo1", "timed out", "timed out", {});
    notices.resolved("fetch", "repo1", "works again", {});
    notices.resolved("fetch", "repo1", "works again", {});
    notices.warn("fetch", "repo1", "timed out", "timed out", {});
  } finally {
    await reset();
  }
  assert.deepEqual(lines, [
    "warning refused",
    "debug refused",
    "warning other repo",
    "warning other kind",
    "warning timed out",
    "info works again",
    "warning timed out",
  ]);
});
