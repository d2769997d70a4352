/**
 * Whether a pushed ref has reached this clone: which remote-tracking refs would show it (through the fetch
 * refspecs of the remotes this clone fetches), and whether they do. A push event only says what someone
 * meant to push; the remote may have refused it, a later push may have replaced it, or it may be forged.
 */

import { join } from "node:path";
import type { PushedRef } from "../events/push_event.ts";
import { isDeletion } from "../events/ref_format.ts";
import { listBranches, type RepoLocation } from "./repo.ts";
import { localRefsFor, parseRefspec, type Refspec } from "./refspec.ts";
import type { GitRunner } from "./runner.ts";

export interface RemoteInfo {
  name: string;
  urls: string[];
  refspecs: Refspec[];
}

/** A pushed ref and the local refs that show it arrived; any one of them will do. */
export interface PushWait {
  ref: string;
  sha: string;
  targets: string[];
}

export type TrackingRefs = ReadonlyMap<string, string>;

const BATCH_CHECK_FROM = 3;

/**
 * The pushed refs worth waiting for. The event names the pusher's remote, by URL or by name, and that name
 * means nothing here: remotes whose URL matches are used, else every remote. Only remotes the local branches
 * track are fetched, so only their refs can arrive. Tags never hold a branch update back (a moved tag is not
 * updated by a fetch at all), nor do deletions.
 */
export async function pushWaits(
  runner: GitRunner,
  location: RepoLocation,
  refs: readonly PushedRef[],
  pushedTo: string,
): Promise<PushWait[]> {
  const wanted = refs.filter((r) => !r.ref.startsWith("refs/tags/") && !isDeletion(r.sha));
  if (wanted.length === 0) return [];
  const fetched = new Set((await listBranches(runner, location)).map((b) => b.remote));
  const remotes = (await readRemotes(runner, location)).filter((r) => fetched.has(r.name));
  const url = normalizeUrl(pushedTo);
  const matching = remotes.filter((r) => r.urls.some((u) => normalizeUrl(u) === url));
  const candidates = matching.length > 0 ? matching : remotes;
  return wanted.flatMap(({ ref, sha }) => {
    const mapped = candidates.flatMap((r) => localRefsFor(ref, r.refspecs));
    const targets = [...new Set(mapped.filter((t) => t.startsWith("refs/")))];
    return targets.length > 0 ? [{ ref, sha, targets }] : [];
  });
}

/** The remotes, read again only when the repository's config file changed. */
export async function readRemotes(runner: GitRunner, location: RepoLocation): Promise<RemoteInfo[]> {
  const signature = await configSignature(location);
  const cached = remotesCache.get(location.commonDir);
  if (signature && cached?.signature === signature) return cached.remotes;
  const remotes = await readRemotesFromGit(runner, location);
  if (signature) remotesCache.set(location.commonDir, { signature, remotes });
  return remotes;
}

const remotesCache = new Map<string, { signature: string; remotes: RemoteInfo[] }>();

/** git rewrites its config by renaming a new file over it: any change gives a new inode. */
async function configSignature(location: RepoLocation): Promise<string | null> {
  try {
    const info = await Deno.stat(join(location.commonDir, "config"));
    return `${info.ino}:${info.size}:${info.mtime?.getTime()}`;
  } catch {
    return null;
  }
}

async function readRemotesFromGit(runner: GitRunner, location: RepoLocation): Promise<RemoteInfo[]> {
  const { stdout } = await runner.run(
    ["config", "--null", "--get-regexp", "^remote\\..*\\.(url|pushurl|fetch)$"],
    // Exit 1 means no such keys: a clone without remotes.
    { cwd: location.path, allowFailure: true },
  );
  const remotes = new Map<string, RemoteInfo>();
  for (const entry of stdout.split("\0")) {
    const newline = entry.indexOf("\n");
    if (newline < 0) continue;
    const key = entry.slice(0, newline);
    const value = entry.slice(newline + 1);
    const dot = key.lastIndexOf(".");
    const name = key.slice("remote.".length, dot);
    const remote = remotes.get(name) ?? { name, urls: [], refspecs: [] };
    remotes.set(name, remote);
    if (key.endsWith(".fetch")) {
      const refspec = parseRefspec(value);
      if (refspec) remote.refspecs.push(refspec);
    } else remote.urls.push(value);
  }
  return [...remotes.values()];
}

/** The same repository written as `git@host:a/b.git`, `ssh://git@host/a/b` or `https://host/a/b/`. */
export function normalizeUrl(url: string): string {
  let rest = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  rest = rest.replace(/^[^@/]*@/, "");
  // scp-like syntax: a colon before the first slash separates host and path.
  if (!scheme) rest = rest.replace(/^([^/:]+):/, "$1/");
  return rest.replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
}

/** The current object ids of `refs` that exist. */
export async function readTrackingRefs(
  runner: GitRunner,
  location: RepoLocation,
  refs: readonly string[],
): Promise<TrackingRefs> {
  if (refs.length === 0) return new Map();
  const { stdout } = await runner.run(
    ["for-each-ref", "--format=%(refname)%00%(objectname)", "--", ...new Set(refs)],
    { cwd: location.path },
  );
  const wanted = new Set(refs);
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [name = "", oid = ""] = line.split("\0");
    // A pattern also matches refs below it (`refs/remotes/origin/a/b` for `.../a`): keep exact names.
    if (wanted.has(name)) found.set(name, oid);
  }
  return found;
}

export function targetsOf(waits: readonly PushWait[]): string[] {
  return [...new Set(waits.flatMap((w) => w.targets))];
}

/**
 * The waits not over yet. One is over when a target is at the pushed sha or past it (the sha is an ancestor),
 * or when a target moved since `before` to something that does not contain it (a later push replaced it).
 */
export async function stillWaiting(
  runner: GitRunner,
  location: RepoLocation,
  waits: readonly PushWait[],
  before: TrackingRefs,
  now: TrackingRefs,
): Promise<PushWait[]> {
  const open = waits.filter((w) => !w.targets.some((t) => now.get(t) === w.sha));
  const checked = open.filter((w) => w.targets.some((t) => now.has(t))).map((w) => w.sha);
  // One process rules out the shas this repository lacks, where asking about each would cost one apiece.
  const present = checked.length > BATCH_CHECK_FROM ? await presentObjects(runner, location, checked) : null;
  const result: PushWait[] = [];
  for (const wait of open) {
    let over = false;
    for (const target of wait.targets) {
      const current = now.get(target);
      if (current === undefined) continue;
      const contains = (present?.has(wait.sha) ?? true) &&
        await isAncestor(runner, location, wait.sha, current);
      if (contains || current !== before.get(target)) {
        over = true;
        break;
      }
    }
    if (!over) result.push(wait);
  }
  return result;
}

/** The shas among `shas` that name a commit in this repository; one git process for all of them. */
async function presentObjects(
  runner: GitRunner,
  location: RepoLocation,
  shas: readonly string[],
): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const { stdout } = await runner.run(["cat-file", "--batch-check=%(objectname) %(objecttype)"], {
    cwd: location.path,
    stdin: shas.map((sha) => `${sha}\n`).join(""),
  });
  const found = new Set<string>();
  for (const line of stdout.split("\n")) {
    const [oid = "", type = ""] = line.split(" ");
    if (type === "commit") found.add(oid);
  }
  return found;
}

/** False as well for a sha this repository lacks: git then exits with an error. */
async function isAncestor(
  runner: GitRunner,
  location: RepoLocation,
  sha: string,
  of: string,
): Promise<boolean> {
  if (sha === of) return true;
  const { code } = await runner.run(["merge-base", "--is-ancestor", sha, of], {
    cwd: location.path,
    allowFailure: true,
  });
  return code === 0;
}
