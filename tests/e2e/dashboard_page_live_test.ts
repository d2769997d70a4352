/**
 * The dashboard page following its event stream and acting, in headless Chromium against a scripted server:
 * a repository changing in place, the activity feed, Fetch now, Silence, and no request leaving the origin.
 */

import assert from "node:assert/strict";
import { browserAvailability } from "../helpers/browser.ts";
import { type Dom, iso, openDashboard, repoStatus, text } from "../helpers/mock_dashboard_server.ts";
import { cellOf } from "../../src/serve/cells.ts";

const available = await browserAvailability();
const OPTIONS = { sanitizeOps: false, sanitizeResources: false, ignore: !available.ok };
if (!available.ok) console.warn(`Skipping the dashboard page's browser tests: ${available.reason}`);

const cell = (host: string, repo: string) => `#grid [data-host="${host}"][data-repo="${repo}"]`;

Deno.test(
  "dashboard page: a repo event changes its cell in place and is announced politely",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    await d.page.locator("#grid").evaluate((el) => el.setAttribute("data-marker", "before"));
    const status = repoStatus("api", iso(0), { state: "DIVERGED", ahead: 1, behind: 1 });
    d.server.push("repo", {
      host: "desktop",
      repo: "api",
      status,
      cell: cellOf("desktop", status, "desktop"),
    });
    await d.page.waitForSelector(`${cell("desktop", "api")}[data-state="DIVERGED"]`);
    assert.equal(await d.page.locator("#grid").getAttribute("data-marker"), "before");
    assert.equal(await d.page.locator("[aria-live=polite]").count(), 1);
    assert.match(await d.page.locator("[aria-live=polite]").innerText(), /api on desktop/);
    d.server.push("repo", { host: "desktop", repo: "lab", status: null, cell: null });
    await d.page.waitForSelector(cell("desktop", "lab"), { state: "detached" });
  },
);

Deno.test(
  "dashboard page: a missing event marks what this machine lacks, and clears it",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    const row = `#grid tr:has(th:text-is("api"))`;
    // api is on both machines in the fixture: drop it here, as a deleted folder would.
    d.server.push("repo", { host: "desktop", repo: "api", status: null, cell: null });
    d.server.push("missing", {
      missingHere: [{ name: "api", remoteUrl: "git@example.com:me/api.git", hosts: ["laptop"] }],
    });
    await d.page.waitForSelector(`${row} [data-missing="api"]`);
    assert.match(await text(d.page, `${row} td:nth-child(2)`), /^missing here\s+gitargus clone api$/);
    d.server.push("missing", { missingHere: [] });
    await d.page.waitForSelector(`${row} [data-missing]`, { state: "detached" });
    assert.match(await text(d.page, `${row} td:nth-child(2)`), /^not here$/);
  },
);

Deno.test("dashboard page: the activity feed puts new items on top with their age", OPTIONS, async () => {
  await using d = await openDashboard();
  assert.match(await text(d.page, "#activity li:first-child"), /fast-forwarded api to 3f1c2ab.*, \d s ago/);
  const text2 = "desktop committed web";
  d.server.push("activity", {
    id: "a2",
    at: iso(0),
    host: "desktop",
    repo: "web",
    kind: "committed",
    text: text2,
  });
  await d.page.waitForSelector(`#activity li:first-child:has-text("${text2}")`);
  assert.equal(await d.page.locator("#activity li").count(), 2);
  const before = await text(d.page, "#activity li:nth-child(2)");
  await d.page.waitForFunction(
    (old) => (globalThis as Dom).document.querySelector("#activity li:nth-child(2)")?.textContent !== old,
    before,
    { timeout: 5000 },
  );
});

Deno.test(
  "dashboard page: Fetch now is offered on this machine only, posts and shows the answer",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    await d.page.click(cell("laptop", "api"));
    assert.equal(await d.page.locator("#fetch-now").isVisible(), false);
    await d.page.keyboard.press("Escape");
    let release = () => {};
    d.server.fetchScript.gate = new Promise((resolve) => release = resolve);
    d.server.fetchScript.answer = { ok: false, message: "not fast-forwarded: local changes to a.txt" };
    await d.page.click(cell("desktop", "tools"));
    await d.page.click("#fetch-now");
    await d.page.waitForSelector("#fetch-now:disabled");
    assert.match(await text(d.page, "#action-result"), /Fetching tools/);
    release();
    await d.page.waitForSelector('#action-result:has-text("not fast-forwarded: local changes to a.txt")');
    assert.deepEqual(d.server.posts, [{ action: "fetch", body: { repo: "tools" } }]);
  },
);

Deno.test(
  "dashboard page: Silence takes a cell out of the attention list and Unsilence brings it back",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    const failedCount = () => d.page.locator("#attention-kinds").innerText();
    assert.match(await failedCount(), /failed: 1/);
    await d.page.click(cell("desktop", "broken"));
    await d.page.click("#silence");
    await d.page.waitForSelector('#silence:text-is("Unsilence")');
    await d.page.keyboard.press("Escape");
    assert.doesNotMatch(await failedCount(), /failed/);
    assert.equal(await d.page.locator('#attention [data-repo="broken"]').count(), 0);
    assert.match(await text(d.page, "#attention"), /1 repository silenced/);
    assert.match(await text(d.page, cell("desktop", "broken")), /silenced/);
    await d.page.click(cell("desktop", "broken"));
    await d.page.click("#silence");
    await d.page.waitForSelector('#silence:text-is("Silence")');
    await d.page.keyboard.press("Escape");
    assert.match(await failedCount(), /failed: 1/);
    assert.deepEqual(d.server.posts.map((p) => p.body), [
      { host: "desktop", repo: "broken", silenced: true },
      { host: "desktop", repo: "broken", silenced: false },
    ]);
  },
);

Deno.test(
  "dashboard page: nothing is requested from another origin; odd names stay text",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    await d.page.click(cell("desktop", "web"));
    await d.page.keyboard.press("Escape");
    const origin = new URL(d.server.url).origin;
    assert.deepEqual(d.requests.filter((url) => new URL(url).origin !== origin), []);
    assert.equal(await d.page.locator("#grid script").count(), 0);
    assert.match(await text(d.page, "#grid"), /<script>alert\(1\)<\/script>/);
  },
);

Deno.test(
  "dashboard page: says reconnecting when the stream drops, and live again after",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    d.server.drop();
    await d.page.waitForSelector('#connection:has-text("reconnecting")');
    await d.page.waitForSelector("#connection.live");
    await d.page.waitForSelector(`${cell("desktop", "broken")}[data-state="FAILED"]`);
  },
);
