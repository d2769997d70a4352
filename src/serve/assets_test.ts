import assert from "node:assert/strict";
import { loadAssets } from "./assets.ts";

const decoder = new TextDecoder();

Deno.test("loadAssets() finds the page, its scripts, its style and its icon", async () => {
  const assets = await loadAssets();
  for (const name of ["index.html", "app.js", "model.js", "render.js", "details.js", "dom.js", "words.js"]) {
    assert.ok(assets.has(name), name);
  }
  assert.equal(assets.get("style.css")?.type, "text/css; charset=utf-8");
  assert.equal(assets.get("icon.svg")?.type, "image/svg+xml");
});

Deno.test("the page loads nothing from another origin and never sets HTML from data", async () => {
  const assets = await loadAssets();
  for (const [name, asset] of assets) {
    const text = decoder.decode(asset.body);
    // The only absolute URL allowed is the SVG namespace, which browsers never fetch.
    const urls = [...text.matchAll(/\b(?:https?:)?\/\/[\w.-]+\.[a-z]{2,}[^\s"')]*/g)].map((m) => m[0])
      .filter((url) => url !== "http://www.w3.org/2000/svg");
    assert.deepEqual(urls, [], name);
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, name);
  }
});

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  );
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function palette(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

Deno.test("every text colour of both schemes keeps a 4.5:1 contrast on every background it is shown on", async () => {
  const css = decoder.decode((await loadAssets()).get("style.css")!.body);
  const dark = /prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1];
  assert.ok(dark, "a dark scheme");
  const light = css.slice(0, css.indexOf("@media"));
  for (const [scheme, block] of [["light", light], ["dark", dark]] as const) {
    const colours = palette(block);
    for (const text of ["text", "muted", "ok", "ahead", "warn", "bad", "quiet"]) {
      for (const background of ["bg", "panel", "needs", "needs-bad"]) {
        const ratio = contrast(colours[text]!, colours[background]!);
        assert.ok(ratio >= 4.5, `${scheme}: --${text} on --${background} is ${ratio.toFixed(2)}:1`);
      }
    }
  }
});
