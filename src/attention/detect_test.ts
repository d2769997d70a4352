import assert from "node:assert/strict";
import { awsUnreachableItem, OtherMachines, repositoryItems } from "./detect.ts";
import { ago, dirty, hostRecord, NOW, repo, snapshot } from "../report/_testing.ts";
import type { ItemKind } from "../state/attention_item.ts";

const all = (_: ItemKind) => true;
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

Deno.test("repositoryItems() raises a blocked fast-forward of a clone behind, and a FAILED repository", () => {
  const blocked = repo("api", {
    state: "BEHIND",
    behind: 1,
    sync: { at: ago(1), result: "blocked", reason: "local changes would be overwritten: README.md" },
  });
  assert.deepEqual(repositoryItems("desktop", blocked, all, NOW).map((i) => [i.id, i.state]), [
    ["blocked:desktop:api", "local changes would be overwritten: README.md"],
  ]);
  const failed = repo("web", {
    state: "FAILED",
    error: 'git status in "/x" exited with 128: fatal: bad object',
  });
  assert.deepEqual(repositoryItems("desktop", failed, all, NOW).map((i) => i.summary), [
    "web on desktop FAILED: status failed: bad object",
  ]);
  assert.deepEqual(repositoryItems("desktop", failed, (k) => k !== "failed", NOW), []);
});

Deno.test("OtherMachines raises work at risk only after workAtRiskMinutes, counting from the record's age", () => {
  const others = new OtherMachines({ self: "desktop", on: all, workAtRiskMinutes: 60 });
  const fresh = snapshot([hostRecord("laptop", { heartbeatAt: NOW.toISOString() })], {
    laptop: [dirty("api", { updatedAt: NOW.toISOString() })],
    desktop: [dirty("mine")],
  });
  assert.deepEqual(others.items(fresh, NOW), []);
  const later = snapshot([hostRecord("laptop", { heartbeatAt: minutes(61).toISOString() })], {
    laptop: [dirty("api", { updatedAt: minutes(30).toISOString() })],
  });
  // Rewritten half an hour in, but this daemon saw it 61 minutes ago: the work is that old.
  assert.deepEqual(others.items(later, minutes(61)).map((i) => [i.id, i.state]), [
    ["workAtRisk:laptop:api", "uncommitted"],
  ]);
  const old = snapshot([hostRecord("laptop")], { laptop: [dirty("web", { updatedAt: ago(7200) })] });
  assert.deepEqual(
    new OtherMachines({ self: "desktop", on: all, workAtRiskMinutes: 60 }).items(old, NOW).map((i) => i.id),
    [
      "workAtRisk:laptop:web",
    ],
  );
});

Deno.test("OtherMachines gives an offline machine with work one item, and none to a quiet one or a run --once one", () => {
  const others = new OtherMachines({ self: "desktop", on: all, workAtRiskMinutes: 0 });
  const off = { heartbeatAt: ago(3600) };
  const items = others.items(
    snapshot([
      hostRecord("laptop", off),
      hostRecord("quiet", off),
      hostRecord("cron", { ...off, mode: "once" }),
    ], {
      laptop: [dirty("api"), repo("clean"), repo("web", { ahead: 2 })],
      quiet: [repo("api")],
      cron: [dirty("api")],
    }),
    NOW,
  );
  assert.deepEqual(items.map((i) => [i.id, i.summary]), [
    ["offlineWithWork:laptop", "laptop is offline with work on it: api, web"],
    ["workAtRisk:cron:api", "api on cron: uncommitted for 0 min"],
  ]);
});

Deno.test("awsUnreachableItem() appears once AWS has been out of reach for the configured minutes", () => {
  assert.equal(awsUnreachableItem("desktop", 0, 0, all, NOW), null);
  assert.equal(awsUnreachableItem("desktop", 9 * 60_000, 10, all, NOW), null);
  const item = awsUnreachableItem("desktop", 10 * 60_000, 10, all, NOW)!;
  assert.equal(item.id, "awsUnreachable:desktop");
  assert.equal(item.since, ago(600));
});
