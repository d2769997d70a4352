import assert from "node:assert/strict";
import { type Delivery, QuietGate, type QuietTimers } from "./quiet.ts";
import type { ItemChange } from "./tracker.ts";
import { itemId, type ItemKind } from "../state/attention_item.ts";

/** Timers that fire only when the test says time passed. */
class FakeTimers implements QuietTimers {
  now = 0;
  readonly #due: Array<{ at: number; run: () => void; id: number }> = [];
  #next = 1;
  set(ms: number, run: () => void) {
    const id = this.#next++;
    this.#due.push({ at: this.now + ms, run, id });
    return id as unknown as ReturnType<typeof setTimeout>;
  }
  clear(id: ReturnType<typeof setTimeout>) {
    const at = this.#due.findIndex((t) => t.id === (id as unknown as number));
    if (at >= 0) this.#due.splice(at, 1);
  }
  tick(ms: number) {
    this.now += ms;
    for (const timer of this.#due.filter((t) => t.at <= this.now)) {
      this.clear(timer.id as unknown as ReturnType<typeof setTimeout>);
      timer.run();
    }
  }
}

function change(change: ItemChange["change"], kind: ItemKind, repo: string | null = "api"): ItemChange {
  return {
    change,
    item: {
      id: itemId(kind, "desktop", repo),
      kind,
      host: "desktop",
      repo,
      summary: `${kind} ${repo}`,
      state: "s",
      since: "",
    },
  };
}

function gate() {
  const timers = new FakeTimers();
  const delivered: Delivery[] = [];
  const quiet = new QuietGate({ deliver: (d) => delivered.push(d), timers, burstMs: 2000, digestOver: 3 });
  return { timers, delivered, quiet };
}

Deno.test("QuietGate delivers a few items one by one once their burst window ends", () => {
  const { timers, delivered, quiet } = gate();
  quiet.offer([change("raised", "blocked", "api")]);
  quiet.offer([change("raised", "failed", "web")]);
  assert.equal(delivered.length, 0);
  timers.tick(2000);
  assert.deepEqual(delivered.map((d) => d.digest ? "digest" : d.notice.item.id), [
    "blocked:desktop:api",
    "failed:desktop:web",
  ]);
});

Deno.test("QuietGate turns more than three items in one burst into one digest", () => {
  const { timers, delivered, quiet } = gate();
  quiet.offer(["a", "b", "c", "d", "e"].map((repo) => change("raised", "failed", repo)));
  timers.tick(2000);
  assert.equal(delivered.length, 1);
  assert.ok(delivered[0]!.digest && delivered[0]!.notices.length === 5);
});

Deno.test("QuietGate drops an item raised and cleared within one burst", () => {
  const { timers, delivered, quiet } = gate();
  quiet.offer([change("raised", "blocked")]);
  quiet.offer([change("cleared", "blocked")]);
  timers.tick(2000);
  assert.deepEqual(delivered, []);
});

Deno.test("QuietGate holds everything but the AWS item while offline, and delivers what is still active after", () => {
  const { timers, delivered, quiet } = gate();
  quiet.setOffline(true);
  quiet.offer([change("raised", "blocked", "api"), change("raised", "failed", "web")]);
  quiet.offer([change("raised", "awsUnreachable", null)]);
  quiet.offer([change("cleared", "failed", "web")]);
  timers.tick(2000);
  assert.deepEqual(delivered.map((d) => !d.digest && d.notice.item.kind), ["awsUnreachable"]);
  quiet.setOffline(false);
  quiet.offer([change("cleared", "awsUnreachable", null)]);
  timers.tick(2000);
  assert.deepEqual(delivered.slice(1).map((d) => !d.digest && `${d.notice.event} ${d.notice.item.kind}`), [
    "raised blocked",
    "cleared awsUnreachable",
  ]);
});

Deno.test("QuietGate flush delivers at once what waits for its window (the daemon stops)", () => {
  const { delivered, quiet } = gate();
  quiet.offer([change("raised", "blocked")]);
  quiet.flush();
  assert.equal(delivered.length, 1);
});
