/**
 * The dashboard in a real headless browser, served by the real `gitargus serve` from records real daemons
 * wrote to the emulators: the grid against the truth, a live update without reload, fetch now, the keyboard,
 * the token, no request leaving the server's origin, and screenshots at desktop and phone sizes.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fleet, statusJson } from "../helpers/fleet.ts";
import { serveDashboard } from "../helpers/dashboard.ts";
import { browserAvailability, headlessBrowser, screenshotDir } from "../helpers/browser.ts";

const available = await browserAvailability();
const OPTIONS = { sanitizeOps: false, sanitizeResources: false, ignore: !available.ok };
if (!available.ok) console.warn(`Skipping the dashboard's browser tests: ${available.reason}`);

const cell = (host: string, repo: string) => `#grid [data-host="${host}"][data-repo="${repo}"]`;

/** Polls an element's text (no script is evaluated in the page: its CSP forbids eval). */
async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = (await page.textContent(selector).catch(() => null)) ?? "";
    if (pattern.test(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${selector} never matched ${pattern}; last: ${JSON.stringify(last)}`);
}

async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (await page.locator(selector).count() !== count) {
    if (Date.now() > deadline) throw new Error(`${selector} never counted ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForState(page: Page, host: string, repo: string, state: string) {
  await page.waitForSelector(`${cell(host, repo)}[data-state="${state}"]`, { timeout: 10_000 });
}

Deno.test(
  "dashboard: the grid tells the truth and follows the store live, in a real browser",
  OPTIONS,
  async (t) => {
    await using f = await fleet({
      machines: ["desktop", "laptop"],
      repositories: ["api", "web", "tools"],
      setupAws: true,
    });
    const desktop = f.machine("desktop");
    const laptop = f.machine("laptop");
    await Deno.writeTextFile(`${laptop.repoPath("web")}/notes.txt`, "draft\n");
    await Deno.writeTextFile(`${laptop.repoPath("web")}/stash-me.txt`, "x\n");
    await laptop.git("web", "stash", "push", "-u", "-q", "--", "stash-me.txt");
    await laptop.git("tools", "checkout", "-q", "-b", "idea");
    await laptop.commitFile("tools", "idea.txt", "idea\n", "an idea");
    await laptop.git("tools", "checkout", "-q", "main");
    await f.ok("desktop", ["run", "--once"]);
    await f.ok("laptop", ["run", "--once"]);
    await using served = await serveDashboard(f, "desktop");
    await using chrome = await headlessBrowser();
    const screens = await screenshotDir();
    const page = await chrome.page({ width: 1280, height: 900 });
    const origin = new URL(served.url).origin;
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(origin)) foreign.push(request.url());
    });
    await page.goto(served.accessUrl);
    await page.waitForSelector("#connection.live", { timeout: 15_000 });
    await page.waitForSelector(cell("laptop", "tools"));

    await t.step("the address loses its token and every cell matches `status --json`", async () => {
      assert.equal(new URL(page.url()).search, "", "the token is gone from the address bar");
      const truth = await statusJson(f, "desktop");
      for (const host of truth.hosts) {
        for (const repo of host.repositories) {
          const selector = cell(host.hostname, repo.name);
          assert.equal(await page.getAttribute(selector, "data-state"), repo.state, selector);
          const label = (await page.getAttribute(selector, "aria-label"))!;
          assert.match(label, new RegExp(`^${repo.name} on ${host.hostname}: `));
        }
      }
      assert.match(await page.textContent(cell("laptop", "web")) ?? "", /1\?.*1 stash/s);
      assert.match(await page.textContent(cell("laptop", "tools")) ?? "", /unpushed: idea \+1/);
      assert.equal((await page.textContent("#attention-count"))?.trim(), "(2)");
      assert.match(
        await page.textContent("#attention-kinds") ?? "",
        /uncommitted changes: 1.*unpushed commits: 1.*stashes: 1/s,
      );
      const machines = await page.textContent("#machines") ?? "";
      assert.match(machines, /desktop\s*this machine/);
      assert.match(machines, /online · heartbeat/);
    });

    await t.step("a change in the store reaches its cell without a reload", async () => {
      await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
      await laptop.commitFile("api", "work.txt", "laptop work\n", "laptop work");
      await f.ok("laptop", ["run", "--once"]);
      await waitForState(page, "laptop", "api", "AHEAD");
      assert.equal(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded), true);
      await waitForText(page, "#activity", /laptop committed to api/);
      assert.equal((await page.textContent("#attention-count"))?.trim(), "(3)");
    });

    await t.step("the keyboard opens a cell's details and Escape gives the focus back", async () => {
      await page.focus(cell("laptop", "web"));
      await page.keyboard.press("Enter");
      await page.waitForSelector("#details[open]");
      const body = await page.textContent("#details-body") ?? "";
      assert.match(body, /notes\.txt/);
      assert.match(body, /1 stash/);
      assert.equal(await page.isVisible("#fetch-now"), false, "no fetch for another machine's clone");
      await page.screenshot({ path: `${screens}/dashboard-details.png` });
      await page.keyboard.press("Escape");
      const focused = await page.evaluate(
        `document.activeElement?.dataset.host + "/" + document.activeElement?.dataset.repo`,
      );
      assert.equal(focused, "laptop/web");
    });

    await t.step("fetch now fast-forwards this machine's clone and the cell follows", async () => {
      const pushed = await laptop.head("api");
      assert.equal((await f.gitPush("laptop", "api")).code, 0);
      await page.click(cell("desktop", "api"));
      await page.waitForSelector("#details[open] #fetch-now:not([hidden])");
      await page.click("#fetch-now");
      await waitForText(
        page,
        "#action-result",
        new RegExp(`^fast-forwarded api to ${pushed.slice(0, 7)}$`),
        30_000,
      );
      assert.equal(await desktop.head("api"), pushed);
      await page.keyboard.press("Escape");
    });

    await t.step("silence takes a cell's items out of the count, on this machine", async () => {
      await page.click(cell("laptop", "tools"));
      await page.click("#silence");
      await waitForText(page, "#silence", /^Unsilence$/);
      await page.keyboard.press("Escape");
      await waitForText(page, "#attention", /1 repository silenced/);
      assert.match(await page.textContent(cell("laptop", "tools")) ?? "", /silenced/);
    });

    await t.step("the filter narrows the grid and says when nothing matches", async () => {
      await page.fill("#filter", "web");
      await waitForCount(page, "#grid tbody tr", 1);
      await page.fill("#filter", "laptop");
      await waitForCount(page, "#grid thead th", 2);
      await waitForCount(page, "#grid tbody tr", 3);
      await page.fill("#filter", "nothing-like-this");
      await page.waitForSelector("#no-match:not([hidden])");
      await page.fill("#filter", "");
    });

    await t.step("a machine whose daemon stops is shown stopped and greyed, live", async () => {
      const daemon = await f.start("laptop", ["run", "--no-hooks"]);
      await daemon.waitForLine(/Watching \d+ repositories/, 30_000);
      assert.equal(await daemon.stop("SIGTERM"), 0);
      await waitForText(page, '#machines [data-host="laptop"]', /stopped \d+ s ago/);
      await waitForText(page, "#grid thead", /laptop \(offline\)/);
      assert.match((await page.getAttribute('#machines [data-host="laptop"]', "class")) ?? "", /stopped/);
    });

    await t.step(
      "screenshots at desktop and phone sizes; the phone page does not scroll sideways",
      async () => {
        await page.screenshot({ path: `${screens}/dashboard-desktop.png`, fullPage: true });
        const phone = await chrome.page({ width: 390, height: 844 });
        await phone.goto(served.accessUrl);
        await phone.waitForSelector(cell("laptop", "tools"));
        const width = await phone.evaluate(`document.documentElement.scrollWidth`) as number;
        assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);
        await phone.screenshot({ path: `${screens}/dashboard-phone.png`, fullPage: true });
        await phone.context().close();
      },
    );

    await t.step("without the token the browser gets no data", async () => {
      const stranger = await chrome.page();
      const response = await stranger.goto(served.url);
      assert.equal(response?.status(), 401);
      assert.match(await stranger.textContent("body") ?? "", /needs the dashboard's access link/);
      const api = await stranger.evaluate(`fetch("/api/hosts").then((r) => r.status)`);
      assert.equal(api, 401);
      await stranger.context().close();
    });

    await t.step("every control has a name, and the grid is a table with headers", async () => {
      for (const button of await page.locator("button:visible").all()) {
        const name = (await button.getAttribute("aria-label")) ?? (await button.textContent()) ?? "";
        assert.ok(
          name.trim().length > 0,
          `a button without a name: ${await button.evaluate((b) => b.outerHTML)}`,
        );
      }
      assert.equal(await page.locator("input").count(), await page.locator("label input").count());
      assert.equal(await page.locator('#grid thead th[scope="col"]').count(), 3);
      assert.equal(await page.locator('#grid tbody th[scope="row"]').count(), 3);
      assert.equal(await page.locator("[aria-live]").count(), 1);
    });

    await t.step("nothing was fetched from anywhere but the server", () => {
      assert.deepEqual(foreign, []);
    });
  },
);
