import assert from "node:assert/strict";
import { AttentionTracker, type ItemChange } from "./tracker.ts";
import { type AttentionItem, itemId, type ItemKind } from "../state/attention_item.ts";

function item(kind: ItemKind, repo: string, state = "s", since = "2026-12-02T10:00:00.000Z"): AttentionItem {
  return {
    id: itemId(kind, "desktop", repo),
    kind,
    host: "desktop",
    repo,
    summary: `${repo} ${state}`,
    state,
    since,
  };
}

Deno.test("AttentionTracker raises an item once, however often it is seen", () => {
  const tracker = new AttentionTracker();
  const told: ItemChange[][] = [];
  tracker.onChange((changes) => told.push(changes));
  tracker.set("repo:api", [item("blocked", "api")]);
  tracker.set("repo:api", [item("blocked", "api", "s", "2026-12-02T11:00:00.000Z")]);
  assert.deepEqual(told.map((c) => c.map((x) => x.change)), [["raised"]]);
  assert.equal(tracker.active().length, 1);
});

Deno.test("AttentionTracker tells a new state as changed and keeps the time the item appeared", () => {
  const tracker = new AttentionTracker();
  tracker.set("repo:api", [item("blocked", "api", "a")]);
  const changes = tracker.set("repo:api", [item("blocked", "api", "b", "2026-12-02T12:00:00.000Z")]);
  assert.deepEqual(changes.map((c) => c.change), ["changed"]);
  assert.equal(tracker.active()[0]!.since, "2026-12-02T10:00:00.000Z");
});

Deno.test("AttentionTracker clears what a source no longer shows, and what prune drops", () => {
  const tracker = new AttentionTracker();
  tracker.set("repo:api", [item("blocked", "api"), item("failed", "api")]);
  tracker.set("repo:web", [item("failed", "web")]);
  assert.deepEqual(tracker.set("repo:api", [item("failed", "api")]).map((c) => [c.change, c.item.kind]), [
    ["cleared", "blocked"],
  ]);
  tracker.prune((source) => source !== "repo:web");
  assert.deepEqual(tracker.active().map((i) => i.id), ["failed:desktop:api"]);
});

Deno.test("AttentionTracker announces a one-shot item without keeping it", () => {
  const tracker = new AttentionTracker();
  const told: ItemChange[] = [];
  tracker.onChange((changes) => told.push(...changes));
  tracker.announce(item("fastForwarded", "api"));
  assert.equal(told.length, 1);
  assert.deepEqual(tracker.active(), []);
});
