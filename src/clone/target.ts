/**
 * Where a repository another machine has goes on this one: the same name under this machine's root. The
 * name comes from a record anyone with table access can write, so it must be a plain relative path that
 * stays inside the root, through symlinks too, and lead to nothing that exists yet.
 */

import { posix } from "node:path";
import { join } from "../util/path.ts";

/** Why `name` cannot be a folder under the root, or null. */
export function nameProblem(name: string): string | null {
  // deno-lint-ignore no-control-regex
  if (name === "" || /[\x00-\x1f\x7f\\]/.test(name)) {
    return "it is empty or holds control characters or backslashes";
  }
  if (name.startsWith("/") || name.startsWith("~")) return "it is not relative to the root";
  if (posix.normalize(name) !== name || name.endsWith("/")) return "it is not a plain relative path";
  if (name.split("/").some((part) => part === ".." || part === "." || part === ".git")) {
    return "it leaves the root or names git's own folder";
  }
  return null;
}

export type Target = { ok: true; path: string } | { ok: false; reason: string };

/** The folder to clone into: inside the root (its real path), and not there yet — not even empty. */
export async function cloneTarget(root: string, name: string): Promise<Target> {
  const problem = nameProblem(name);
  if (problem) return { ok: false, reason: `the name ${JSON.stringify(name)} is refused: ${problem}` };
  const path = join(root, name);
  if (await Deno.lstat(path).then(() => true, () => false)) {
    return { ok: false, reason: `${path} already exists (gitargus never clones into an existing folder)` };
  }
  // A symlinked folder on the way could lead outside the root.
  let parent = path.slice(0, path.lastIndexOf("/"));
  while (parent.length > root.length && !(await Deno.lstat(parent).then(() => true, () => false))) {
    parent = parent.slice(0, parent.lastIndexOf("/"));
  }
  const real = await Deno.realPath(parent).catch(() => parent);
  const realRoot = await Deno.realPath(root).catch(() => root);
  if (real !== realRoot && !real.startsWith(`${realRoot}/`)) {
    return { ok: false, reason: `${path} would lead outside the root through a symlinked folder` };
  }
  return { ok: true, path };
}
