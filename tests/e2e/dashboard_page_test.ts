/**
 * The dashboard page in headless Chromium against a scripted server: crafted states, machines and events, so
 * every word, colour and odd record is checked without a fleet. Screenshots at desktop and phone size.
 * Live updates and actions: dashboard_page_live_test.ts.
 */

import assert from "node:assert/strict";
import { browserAvailability, screenshotDir } from "../helpers/browser.ts";
import {
  type Dom,
  fixture,
  focusedRepo,
  host,
  iso,
  openDashboard,
  repoStatus,
  text,
} from "../helpers/mock_dashboard_server.ts";
import { cellOf } from "../../src/serve/cells.ts";

const available = await browserAvailability();
const OPTIONS = { sanitizeOps: false, sanitizeResources: false, ignore: !available.ok };
if (!available.ok) console.warn(`Skipping the dashboard page's browser tests: ${available.reason}`);

const cell = (host: string, repo: string) => `#grid [data-host="${host}"][data-repo="${repo}"]`;

Deno.test("dashboard page: every state shows an icon, a colour and a word", OPTIONS, async () => {
  await using d = await openDashboard();
  const expected = Object.entries({
    api: "✓ up to date",
    web: "↑ ahead",
    tools: "↓ behind",
    docs: "⇅ diverged",
    lab: "○ no upstream",
    bisect: "◇ detached",
    old: "— missing",
    broken: "✕ failed",
  });
  const colours = new Map<string, string>();
  for (const [repo, shown] of expected) {
    const word = shown.slice(2);
    const state = d.page.locator(`${cell("desktop", repo)} .state`);
    assert.equal((await state.innerText()).trim(), shown);
    colours.set(word, await state.evaluate((el) => (globalThis as Dom).getComputedStyle(el).color));
  }
  const tones = ["up to date", "ahead", "behind", "diverged", "no upstream"].map((w) => colours.get(w));
  assert.equal(new Set(tones).size, 5, `distinct colours per tone: ${tones.join(" ")}`);
  assert.equal(colours.get("diverged"), colours.get("failed"));
});

Deno.test(
  "dashboard page: machines say liveness, mode and version; this machine is marked",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    const desktop = await text(d.page, '#machines [data-host="desktop"]');
    assert.match(desktop, /this machine/);
    assert.match(desktop, /online · heartbeat \d s ago/);
    assert.match(desktop, /service · v0\.4\.0 · 9 repositories/);
    const laptop = await text(d.page, '#machines [data-host="laptop"]');
    assert.match(laptop, /offline; last seen 5 min ago/);
    assert.match(laptop, /terminal/);
    assert.doesNotMatch(laptop, /this machine/);
    const server = await text(d.page, '#machines [data-host="server"]');
    assert.match(server, /stopped 2 h ago/);
    assert.match(server, /version unknown · 0 repositories/);
    assert.equal(await d.page.locator("#machines li").first().getAttribute("data-host"), "desktop");
  },
);

Deno.test(
  "dashboard page: the grid counts ahead, behind, changes, stashes, unpushed and age",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    const web = await text(d.page, cell("desktop", "web"));
    for (const part of ["↑2", "1+ 2~ 1?", "2 stashes", "unpushed: idea +1", "30 s ago"]) {
      assert.ok(web.includes(part), `${part} in ${JSON.stringify(web)}`);
    }
    assert.match(await text(d.page, cell("desktop", "docs")), /↑1 ↓2/);
    assert.match(await text(d.page, cell("laptop", "api")), /↓1[\s\S]*6 min ago/);
    assert.match(await text(d.page, `#grid tr:has(th:text-is("lab")) td:nth-child(3)`), /not here/);
    assert.equal(await d.page.locator("#grid th[scope=col]").count(), 4);
    assert.equal(await d.page.locator("#grid tbody th[scope=row]").count(), 9);
  },
);

Deno.test(
  "dashboard page: what another machine has and this one lacks says so, with the command that clones it",
  OPTIONS,
  async () => {
    const snapshot = fixture();
    const laptop = snapshot.report.hosts[1] as { repositories: unknown[] };
    laptop.repositories.push(repoStatus("notes", iso(400)), repoStatus("sandbox", iso(400)));
    // "sandbox" is a folder here that no config names: not missing, as `status` has it.
    snapshot.missingHere = [{ name: "notes", remoteUrl: "git@example.com:me/notes.git", hosts: ["laptop"] }];
    await using d = await openDashboard(snapshot);
    const row = (repo: string) => `#grid tr:has(th:text-is("${repo}"))`;
    await d.page.waitForSelector(`${row("notes")} [data-missing]`);
    assert.match(
      await text(d.page, `${row("notes")} td:nth-child(2)`),
      /^missing here\s+gitargus clone notes$/,
    );
    assert.match(await text(d.page, `${row("sandbox")} td:nth-child(2)`), /^not here$/);
    assert.match(
      await text(d.page, `${row("lab")} td:nth-child(3)`),
      /not here/,
      "only this machine's column",
    );
    await d.page.locator(row("notes")).screenshot({
      path: `${await screenshotDir()}/dashboard-missing-here.png`,
    });
  },
);

Deno.test(
  "dashboard page: what needs attention comes before the grid, with a count per kind",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    const order = await d.page.locator("main > section").evaluateAll((els) => els.map((el) => el.id));
    assert.ok(order.indexOf("attention-section") < order.indexOf("grid-section"), order.join(" "));
    const kinds = await text(d.page, "#attention-kinds");
    for (const kind of ["failed: 1", "missing: 1", "diverged: 1", "uncommitted changes: 2", "behind: 2"]) {
      assert.ok(kinds.includes(kind), `${kind} in ${JSON.stringify(kinds)}`);
    }
    const first = await text(d.page, "#attention li:first-child");
    assert.match(first, /broken on desktop — failed/);
  },
);

Deno.test(
  "dashboard page: a cell's drill-down opens by mouse and by Enter, closes by Escape",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    await d.page.click(cell("desktop", "web"));
    const dialog = d.page.locator("#details");
    await dialog.waitFor({ state: "visible" });
    const web = await dialog.innerText();
    for (const part of ["web on desktop", "M. src/app.ts", "?? notes.txt", "idea: 1 commit never pushed"]) {
      assert.ok(web.includes(part), `${part} in ${JSON.stringify(web)}`);
    }
    await d.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await focusedRepo(d.page), "web");

    await d.page.focus(cell("desktop", "tools"));
    await d.page.keyboard.press("Enter");
    await dialog.waitFor({ state: "visible" });
    const tools = await dialog.innerText();
    assert.match(tools, /blocked: local changes to a\.txt/);
    assert.match(tools, /failed: could not resolve host: git\.example/);
    await d.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await focusedRepo(d.page), "tools");

    await d.page.click(cell("desktop", "bisect"));
    assert.match(await dialog.innerText(), /Worktree \.\.\/bisect-hotfix \(hotfix\): 1~/);
  },
);

Deno.test(
  "dashboard page: the filter narrows repositories and machines and says when nothing matches",
  OPTIONS,
  async () => {
    await using d = await openDashboard();
    await d.page.fill("#filter", "too");
    await d.page.waitForFunction(() =>
      (globalThis as Dom).document.querySelectorAll("#grid tbody tr").length === 1
    );
    await d.page.fill("#filter", "lapt");
    await d.page.waitForFunction(() =>
      (globalThis as Dom).document.querySelectorAll("#grid thead th").length === 2
    );
    assert.equal(await d.page.locator("#machines li").count(), 1);
    await d.page.fill("#filter", "zzz-nothing");
    await d.page.locator("#no-match").waitFor({ state: "visible" });
    assert.match(await text(d.page, "#no-match"), /match/i);
  },
);

Deno.test("dashboard page: offline machines are greyed", OPTIONS, async () => {
  await using d = await openDashboard();
  const style = (selector: string) =>
    d.page.locator(selector).evaluate((el) =>
      (globalThis as Dom).getComputedStyle(el).opacity + " " + (globalThis as Dom).getComputedStyle(el).color
    );
  const online = await style(`#grid td:has([data-host="desktop"][data-repo="api"])`);
  const offline = await style(`#grid td:has([data-host="laptop"][data-repo="web"])`);
  assert.notEqual(online, offline);
  assert.match(await text(d.page, "#grid thead"), /laptop \(offline\)/);
});

Deno.test(
  "dashboard page: empty report, a host with no repositories, 500 repositories, null fields",
  OPTIONS,
  async () => {
    const empty = { ...fixture(), report: { generatedAt: iso(0), hosts: [] }, cells: [], activity: [] };
    {
      await using d = await openDashboard(empty);
      await d.page.waitForSelector('#machines:has-text("No machines have reported yet")');
    }
    const many = fixture();
    const repos = Array.from(
      { length: 500 },
      (_, i) =>
        repoStatus(`repo-${i}`, iso(i), { branch: null, upstream: null, head: null, lastFetch: null }),
    );
    many.report.hosts = [host("desktop", { heartbeatAt: null, version: null, mode: null }, repos)];
    many.cells = repos.map((r) => cellOf("desktop", r, "desktop"));
    await using d = await openDashboard(many);
    assert.equal(await d.page.locator("#grid tbody tr").count(), 500);
    assert.match(await text(d.page, "#machines"), /heartbeat never/);
  },
);

Deno.test("dashboard page: accessible names, a real table, visible focus", OPTIONS, async () => {
  await using d = await openDashboard();
  for (const el of await d.page.locator("input, button").all()) {
    const name = await el.evaluate((e) =>
      (e.getAttribute("aria-label") ?? "") + (e.textContent ?? "") +
      (e.closest("label")?.textContent ?? "")
    );
    assert.ok(name.trim().length > 0, `${await el.evaluate((e) => e.outerHTML)} has no name`);
  }
  assert.equal(await d.page.locator("#grid thead th:not([scope=col])").count(), 0);
  assert.equal(await d.page.locator("#grid tbody th:not([scope=row])").count(), 0);
  await d.page.focus(cell("desktop", "api"));
  await d.page.keyboard.press("Tab");
  await d.page.keyboard.press("Shift+Tab");
  const outline = await d.page.locator(cell("desktop", "api")).evaluate((el) => {
    const s = (globalThis as Dom).getComputedStyle(el);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  assert.doesNotMatch(outline, /^none|0px$/, outline);
});

Deno.test("dashboard page: fits a phone without page overflow; screenshots", OPTIONS, async () => {
  const dir = await screenshotDir();
  {
    await using d = await openDashboard();
    await d.page.screenshot({ path: `${dir}/dashboard-page-desktop.png`, fullPage: true });
  }
  await using d = await openDashboard(fixture(), { width: 390, height: 844 });
  const widths = await d.page.evaluate(() => {
    const doc = (globalThis as Dom).document;
    return [doc.documentElement.scrollWidth, doc.documentElement.clientWidth];
  });
  assert.ok(widths[0] <= widths[1], `page is ${widths[0]}px wide in a ${widths[1]}px screen`);
  const size = await d.page.locator("#grid td").first().evaluate((el) =>
    parseFloat((globalThis as Dom).getComputedStyle(el).fontSize)
  );
  assert.ok(size >= 12, `grid text is ${size}px`);
  await d.page.screenshot({ path: `${dir}/dashboard-page-phone.png`, fullPage: true });
  console.log(`Screenshots in ${dir}`);
});
