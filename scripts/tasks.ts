/**
 * Writes the permission flags from src/permissions.ts into deno.json's tasks, so `deno task gitargus` runs
 * with exactly the binary's permissions, and the compile tasks. A test fails when deno.json and this list
 * drift apart.
 */

import { permissionFlags } from "../src/permissions.ts";

export function expectedTasks(): Record<string, string> {
  const flags = permissionFlags("linux").join(" ");
  const compile =
    "deno run --allow-read --allow-write --allow-run --allow-env --allow-net scripts/compile.ts";
  return {
    gitargus: `deno run --quiet --no-prompt ${flags} main.ts`,
    compile,
    "compile:all": `${compile} --all`,
  };
}

if (import.meta.main) {
  const file = new URL("../deno.json", import.meta.url);
  const manifest = JSON.parse(await Deno.readTextFile(file));
  manifest.tasks = { ...manifest.tasks, ...expectedTasks() };
  await Deno.writeTextFile(file, JSON.stringify(manifest, null, 2) + "\n");
}
