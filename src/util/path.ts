/**
 * POSIX path helpers for the modules the pre-push hook loads. Importing `node:path` starts Deno's Node
 * compatibility layer, which costs the hook tens of milliseconds inside every `git push`; everything else uses
 * `node:path`.
 */

export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  const normal = normalize(joined);
  return joined.endsWith("/") && !normal.endsWith("/") ? `${normal}/` : normal;
}

export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  return slash === 0 ? "/" : trimmed.slice(0, slash);
}

export function basename(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** An absolute path from `path`, taken relative to `base` (default: the current directory). */
export function resolve(path: string, base: string = Deno.cwd()): string {
  return normalize(path.startsWith("/") ? path : `${base}/${path}`);
}

function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}
