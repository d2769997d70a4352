/**
 * The dashboard's files, read once at start from the folder next to this module: from source, and from the
 * compiled binary, which embeds the folder (scripts/compile.ts). Nothing is fetched from anywhere else.
 */

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

export const ASSETS_DIR = new URL("./assets/", import.meta.url);

export async function loadAssets(dir: URL = ASSETS_DIR): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for await (const entry of Deno.readDir(dir)) {
    const type = TYPES[entry.name.split(".").pop() ?? ""];
    if (!entry.isFile || !type) continue;
    assets.set(entry.name, { body: await Deno.readFile(new URL(entry.name, dir)), type });
  }
  if (!assets.has("index.html")) throw new Error("The dashboard's files are missing from this build");
  return assets;
}
