/**
 * The fetch URL a repository is cloned from, as its record keeps it for the other machines' `gitargus clone`.
 * The URL is the configured one (`remote.<name>.url`), not rewritten by `url.<base>.insteadOf`: each machine
 * applies its own rewrites when it clones. Credentials never leave the machine: an http(s) URL loses its
 * whole user part (tokens go there), an ssh URL its password, and both their query.
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "node:path";
import type { GitRunner } from "./runner.ts";
import type { RepoLocation } from "./repo.ts";

interface Cached {
  stamp: string;
  urls: Map<string, string>;
}

/** Per repository, its remotes' URLs while its config file is unchanged: no git process per status read. */
const cache = new Map<string, Cached>();

/**
 * The URL of the remote the checked-out branch tracks (`upstream` as `status` gives it, "origin/main"), else
 * of `origin`, else of the only remote; undefined when there is none.
 */
export async function recordedRemoteUrl(
  runner: GitRunner,
  location: RepoLocation,
  upstream: string | null,
): Promise<string | undefined> {
  const urls = await remoteUrls(runner, location);
  const names = [...urls.keys()];
  const tracked = upstream === null
    ? undefined
    : names.filter((name) => upstream.startsWith(`${name}/`)).sort((a, b) => b.length - a.length)[0];
  const chosen = tracked ?? (urls.has("origin") ? "origin" : names.length === 1 ? names[0] : undefined);
  const url = chosen === undefined ? undefined : urls.get(chosen);
  return url === undefined ? undefined : withoutCredentials(url);
}

async function remoteUrls(runner: GitRunner, location: RepoLocation): Promise<Map<string, string>> {
  const file = join(location.commonDir, "config");
  const info = await localFs.stat(file).catch(() => null);
  const stamp = info ? `${info.ino}:${info.size}:${info.mtime?.getTime()}` : "-";
  const cached = cache.get(location.commonDir);
  if (cached?.stamp === stamp) return cached.urls;
  const text = info ? await localFs.readTextFile(file).catch(() => null) : "";
  const urls = (text !== null ? plainRemoteUrls(text) : null) ?? await askGit(runner, location);
  // Names and URLs are cut from the config text or git's output, and a cut keeps the whole text alive: the
  // cache and the states hold copies (at 1,000 repositories, about a config file each otherwise).
  const kept = new Map<string, string>(JSON.parse(JSON.stringify([...urls])));
  cache.set(location.commonDir, { stamp, urls: kept });
  return kept;
}

/**
 * The remotes' URLs read from a plain config file, sparing a git process per repository (status and the
 * daemon's start read every one); null when the file uses anything beyond plain lines — includes, quoting,
 * escapes, continued lines — and git must be asked.
 */
/** `[section "subsection"]`: the only place a plain file has quotes. */
const SECTION = /^\[\s*[a-z0-9.-]+\s+"[^"\\]*"\s*\]$/i;

export function plainRemoteUrls(text: string): Map<string, string> | null {
  const urls = new Map<string, string>();
  let remote: string | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (/["\\]/.test(line.replace(SECTION, "")) || /^\[\s*include/i.test(line)) {
      return null;
    }
    if (line.startsWith("[")) {
      remote = /^\[\s*remote\s+"([^"\\]*)"\s*\]$/i.exec(line)?.[1] ?? null;
      continue;
    }
    const url = /^url\s*=\s*(.*)$/i.exec(line);
    if (remote !== null && url && !urls.has(remote)) {
      urls.set(remote, url[1]!.replace(/\s+[#;].*$/, "").trim());
    }
  }
  return urls;
}

async function askGit(runner: GitRunner, location: RepoLocation): Promise<Map<string, string>> {
  const result = await runner.run(["config", "--null", "--get-regexp", "^remote\\..*\\.url$"], {
    cwd: location.path,
    allowFailure: true,
  });
  const urls = new Map<string, string>();
  for (const entry of result.stdout.split("\0")) {
    const newline = entry.indexOf("\n");
    if (newline < 0) continue;
    const key = entry.slice(0, newline);
    const name = key.slice("remote.".length, -".url".length);
    // The first URL of a remote is the one git fetches from.
    if (name && !urls.has(name)) urls.set(name, entry.slice(newline + 1));
  }
  return urls;
}

/** `https://user:token@host/x.git?t=1` → `https://host/x.git`; `ssh://git:pw@host/x` → `ssh://git@host/x`. */
export function withoutCredentials(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    const rest = url.slice(scheme[0].length);
    const end = rest.search(/[/?#]/);
    const authority = end < 0 ? rest : rest.slice(0, end);
    let path = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    let host = authority;
    if (at >= 0) {
      const user = authority.slice(0, at);
      host = authority.slice(at + 1);
      const web = /^https?$/i.test(scheme[1]!);
      const name = user.split(":")[0]!;
      if (!web && name) host = `${name}@${host}`;
    }
    if (/^https?$/i.test(scheme[1]!) || /^ssh$/i.test(scheme[1]!)) path = path.replace(/[?#].*$/s, "");
    return `${scheme[0]}${host}${path}`;
  }
  // scp-like `user:password@host:path` (git takes everything before the last "@" as the user).
  const scp = /^([^/@]+)@([^/:]+:.*)$/s.exec(url);
  if (scp && scp[1]!.includes(":")) return `${scp[1]!.split(":")[0]}@${scp[2]}`;
  return url;
}
