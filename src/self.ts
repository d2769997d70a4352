// Not `node:path` or `node:url`: the pre-push hook loads this module, and Node's layer costs it ~13 ms.
import { join } from "./util/path.ts";
import { permissionFlags } from "./permissions.ts";

/**
 * How to start this program again from outside (the pre-push hook, the service unit): the compiled binary by
 * its absolute path, or, when running from source, the same `deno run` invocation with the same permissions.
 */
export function selfCommand(): string[] {
  if (isCompiled()) return [Deno.execPath()];
  const project = projectDir();
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-prompt",
    `--config=${join(project, "deno.json")}`,
    ...permissionFlags(),
    join(project, "main.ts"),
  ];
}

/** The folder of deno.json and main.ts, when running from source. */
export function projectDir(): string {
  // The targets are Linux and macOS: a file URL's path is the file's path once decoded.
  return decodeURIComponent(new URL("..", import.meta.url).pathname);
}

/** A `deno compile` binary serves its modules from an embedded file system, not from file URLs on disk. */
export function isCompiled(): boolean {
  return import.meta.url.includes("/deno-compile-") || !/(^|\/)deno(\.exe)?$/.test(Deno.execPath());
}
