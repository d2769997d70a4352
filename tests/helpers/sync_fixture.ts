/**
 * Two machines on one origin for the fast-forward rules: "a" pushes, "b" is the clone the daemon logic moves
 * (through the real runner). `untouched()` captures what must not change when a move is refused.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type GitWorkspace, gitWorkspace, type Machine } from "./git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository, type RepoLocation } from "../../src/git/repo.ts";
import { fastForwardIfSafe } from "../../src/sync/mod.ts";
import type { SyncResult } from "../../src/state/repo_status.ts";

export const REPO = "repo1";

export interface SyncFixture extends AsyncDisposable {
  ws: GitWorkspace;
  a: Machine;
  b: Machine;
  runner: DenoGitRunner;
  location: RepoLocation;
  /** b's clone. */
  path: string;
  fastForward(): Promise<SyncResult>;
  /** Commits one file on a and pushes it, then fetches on b; returns the new commit. */
  arrive(path?: string, content?: string): Promise<string>;
  /** HEAD, its branch, the index entries and the given files' bytes, to compare after a refused move. */
  untouched(...files: string[]): Promise<() => Promise<void>>;
}

/**
 * `quietMs`: how long b's git must be still before a move (default 0: these tests set a state up with git
 * and move at once, one step after the other; the race test runs the daemon's own wait, with real sleeps).
 */
export async function syncFixture(options: { quietMs?: number } = {}): Promise<SyncFixture> {
  const ws = await gitWorkspace({ machines: ["a", "b"], repositories: [REPO] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  const runner = new DenoGitRunner({ env: gitEnvironment((name) => b.env[name]) });
  const found = await locateRepository(runner, { name: REPO, path: b.repoPath(REPO), autoPull: true });
  if (!found.ok) throw new Error(found.reason);
  const location = found.location;
  const path = b.repoPath(REPO);
  const state = async (files: string[]) => ({
    head: await b.git(REPO, "rev-parse", "HEAD"),
    branch: await b.git(REPO, "symbolic-ref", "-q", "HEAD").catch(() => "(detached)"),
    index: [await b.git(REPO, "ls-files", "-s"), await b.git(REPO, "ls-files", "-v")],
    files: await Promise.all(files.map((f) => readBytes(join(path, f)))),
  });
  return {
    ws,
    a,
    b,
    runner,
    location,
    path,
    fastForward: () =>
      fastForwardIfSafe(runner, location, {
        now: () => new Date(),
        sleep: (ms) =>
          options.quietMs ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve(),
        lockRetries: 1,
        quietMs: options.quietMs ?? 0,
      }),
    async arrive(file = "README.md", content = "from a\n") {
      const sha = await a.commitFile(REPO, file, content, `change ${file}`);
      await a.push(REPO);
      await b.git(REPO, "fetch", "--quiet");
      return sha;
    },
    async untouched(...files) {
      const before = await state(files);
      return async () => assert.deepEqual(await state(files), before);
    },
    [Symbol.asyncDispose]: () => ws[Symbol.asyncDispose](),
  };
}

/** The file's bytes, a symlink's target, "<dir>" or "<absent>". */
export async function readBytes(path: string): Promise<string> {
  try {
    const info = await Deno.lstat(path);
    if (info.isSymlink) return `<link ${await Deno.readLink(path)}>`;
    if (info.isDirectory) return "<dir>";
    return new TextDecoder().decode(await Deno.readFile(path));
  } catch {
    return "<absent>";
  }
}
