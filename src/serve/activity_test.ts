import assert from "node:assert/strict";
import { ago, dirty, hostReport, repo, report } from "../report/_testing.ts";
import { activityBetween, seedActivity } from "./activity.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

Deno.test("activityBetween() names the fast-forward and the machine the commit came from", () => {
  const before = report(
    hostReport("desktop", [repo("api", { head: B, ahead: 1, state: "AHEAD" })]),
    hostReport("laptop", [repo("api", { head: A })]),
  );
  const after = report(
    hostReport("desktop", [repo("api", { head: B })]),
    hostReport("laptop", [repo("api", { head: B, sync: { at: ago(1), result: "fast-forwarded" } })]),
  );
  const texts = activityBetween(before, after).map((a) => `${a.kind}: ${a.text}`);
  assert.deepEqual(texts, [
    "pushed: desktop pushed api (main)",
    "fast-forwarded: laptop fast-forwarded api to bbbbbbb, pushed from desktop",
  ]);
});

Deno.test("activityBetween() tells commits, blocks, failures, failed fetches and local changes", () => {
  const before = report(hostReport("laptop", [repo("api"), repo("web"), repo("cli"), repo("doc")]));
  const after = report(hostReport("laptop", [
    repo("api", { head: B, ahead: 1, state: "AHEAD" }),
    repo("web", {
      state: "BEHIND",
      behind: 1,
      sync: { at: ago(1), result: "blocked", reason: "local changes to a.txt" },
    }),
    repo("cli", { state: "FAILED", error: 'git status in "/x" exited with 128: fatal: bad object' }),
    dirty("doc", {
      lastFetch: { at: ago(1), ok: false, error: 'git fetch in "/x" exited with 1: fatal: no route' },
    }),
  ]));
  const texts = activityBetween(before, after).map((a) => `${a.kind}: ${a.text}`);
  assert.deepEqual(texts, [
    "committed: laptop committed to api (main): bbbbbbb",
    "blocked: laptop did not fast-forward web: local changes to a.txt",
    "failed: cli failed on laptop: status failed: bad object",
    "fetch-failed: laptop could not fetch doc: fetch failed: no route",
    "changed: doc on laptop has uncommitted changes",
  ]);
});

Deno.test("activityBetween() tells machines coming, going and stopping, and repositories added or gone", () => {
  const before = report(hostReport("a", [repo("x")]), hostReport("b", [], false), hostReport("c", []));
  const stopped = { ...hostReport("c", []), online: false, stoppedAt: ago(1) };
  const after = report(hostReport("a", [repo("y")], false), hostReport("b", []), stopped);
  const texts = activityBetween(before, after).map((a) => a.text);
  assert.deepEqual(texts, [
    "a went offline",
    "a now reports y",
    "a no longer reports x",
    "b is online",
    "c stopped",
  ]);
});

Deno.test("activityBetween() says nothing when nothing changed", () => {
  const same = report(hostReport("a", [dirty("x")]));
  assert.deepEqual(activityBetween(same, same), []);
});

Deno.test("seedActivity() recalls the last fast-forwards and failed fetches, newest first", () => {
  const seeded = seedActivity(report(hostReport("a", [
    repo("x", { sync: { at: ago(60), result: "fast-forwarded" } }),
    repo("y", { lastFetch: { at: ago(5), ok: false, error: "boom" } }),
    repo("z", { sync: { at: ago(1), result: "up-to-date" } }),
  ])));
  assert.deepEqual(seeded.map((a) => [a.at, a.text]), [
    [ago(5), "a could not fetch y: boom"],
    [ago(60), "a fast-forwarded x to 0123456"],
  ]);
});
