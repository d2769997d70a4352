/**
 * A real browser for the dashboard's tests: Debian's chromium driven by playwright-core, which downloads no
 * browser of its own. `GITARGUS_CHROMIUM` names another binary; `GITARGUS_REQUIRE_BROWSER=1` (CI) makes a
 * missing one a failure instead of a skip.
 */

import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = Deno.env.get("GITARGUS_CHROMIUM") ?? "/usr/bin/chromium";

export type Availability = { ok: true } | { ok: false; reason: string };

export async function browserAvailability(): Promise<Availability> {
  try {
    const info = await Deno.stat(CHROMIUM);
    if (!info.isFile) return { ok: false, reason: `${CHROMIUM} is not a file` };
    return { ok: true };
  } catch {
    const reason = `no browser at ${CHROMIUM} (install Debian's chromium, or set GITARGUS_CHROMIUM)`;
    if (Deno.env.get("GITARGUS_REQUIRE_BROWSER") === "1") throw new Error(`The browser tests need ${reason}`);
    return { ok: false, reason };
  }
}

export interface HeadlessBrowser extends AsyncDisposable {
  browser: Browser;
  /** A new page in its own context (no cookies shared with other pages), at this viewport. */
  page(viewport?: { width: number; height: number }): Promise<Page>;
}

export async function headlessBrowser(): Promise<HeadlessBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  return {
    browser,
    async page(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      return await context.newPage();
    },
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  };
}

/** Where screenshots go: `GITARGUS_SCREENSHOTS` when set (README's picture comes from there), else a temp dir. */
export async function screenshotDir(): Promise<string> {
  const dir = Deno.env.get("GITARGUS_SCREENSHOTS") ?? await Deno.makeTempDir({ prefix: "gitargus-screens-" });
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}
