/**
 * Applying a snapshot to this clone only when nothing can be lost: its base is HEAD or an ancestor of it,
 * HEAD did not change any of its paths since, and nothing local sits at them — no staged or unstaged
 * change, no untracked or ignored file. Then every path gets the saved content and mode, the index gets the
 * saved staged state for those paths alone, and nothing is committed. When it is not safe, nothing is
 * touched and the snapshot can go to a branch of its own instead.
 */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import { indexLocked, operationInProgress, type RepoLocation } from "../git/repo.ts";
import { splitFields } from "../git/status.ts";
import { type SnapshotParts, snapshotParts } from "./contents.ts";
import { changedPaths } from "./tree_diff.ts";
import { WipError } from "./refs.ts";

export type RestorePlan =
  | { safe: true; parts: SnapshotParts; paths: string[] }
  | { safe: false; reasons: string[] };

const LISTED = 5;

export async function planRestore(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
): Promise<RestorePlan> {
  const cwd = location.path;
  const parts = await snapshotParts(runner, location, commit);
  const reasons: string[] = [];
  const head = await runner.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], {
    cwd,
    allowFailure: true,
  });
  const local = head.stdout.trim();
  if (head.code !== 0 || !local) return { safe: false, reasons: ["this clone has no commit yet"] };
  const operation = await operationInProgress(location);
  if (operation) reasons.push(`a ${operation} is in progress here`);
  if (await indexLocked(location)) reasons.push("another git command holds the index (index.lock)");
  const paths = [
    ...new Set([
      ...await changedPaths(runner, cwd, parts.base, parts.index),
      ...await changedPaths(runner, cwd, parts.index, parts.worktree),
    ]),
  ].sort();
  if (paths.some((p) => p.includes("\ufffd") || p.includes("\\x"))) {
    reasons.push("a file name in it is not UTF-8 text, which a restore cannot spell");
  }
  const ancestor = await runner.run(["merge-base", "--is-ancestor", parts.base, local], {
    cwd,
    allowFailure: true,
  });
  if (ancestor.code !== 0) {
    reasons.push(
      `it was saved on ${parts.base.slice(0, 7)}, which this clone's HEAD does not contain (pull first)`,
    );
  } else if (parts.base !== local) {
    const moved = new Set(await changedPaths(runner, cwd, parts.base, local));
    const both = paths.filter((p) => moved.has(p));
    if (both.length) reasons.push(`commits since it was saved changed ${listed(both)}`);
  }
  const inTheWay = await localChangesAt(runner, location, paths, local);
  if (inTheWay.length) reasons.push(`local changes or files are in the way: ${listed(inTheWay)}`);
  return reasons.length ? { safe: false, reasons } : { safe: true, parts, paths };
}

/** Paths of `paths` that hold anything local: a change git lists, or any file where HEAD has none. */
async function localChangesAt(runner: GitRunner, location: RepoLocation, paths: string[], head: string) {
  const wanted = new Set(paths);
  const status = await runner.run(
    ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    {
      cwd: location.path,
    },
  );
  const found = new Set<string>();
  for (const field of splitFields(status.stdoutBytes ?? new TextEncoder().encode(status.stdout))) {
    const path = field.slice(3);
    if (field.length > 3 && (wanted.has(path) || paths.some((p) => p.startsWith(`${path}/`)))) {
      found.add(path);
    }
  }
  // Ignored files and folders are no change to git, but a restore would overwrite them.
  const tracked = new Set(
    (await runner.run(["ls-tree", "-r", "-z", "--name-only", head], { cwd: location.path }))
      .stdout.split("\0"),
  );
  const touched = new Set(paths);
  for (const path of paths) {
    if (tracked.has(path) || found.has(path)) continue;
    if (await Deno.lstat(join(location.path, path)).then(() => true, () => false)) found.add(path);
    // A file where the snapshot needs a folder: checkout would delete it to make room. One the snapshot
    // itself changes is tracked and unchanged here (else listed above), so HEAD still has it.
    for (const folder of folders(path)) {
      if (touched.has(folder) || tracked.has(folder)) continue;
      const file = await Deno.lstat(join(location.path, folder)).then((s) => !s.isDirectory, () => false);
      if (file) found.add(folder);
    }
  }
  return [...found].sort();
}

export async function applyRestore(
  runner: GitRunner,
  location: RepoLocation,
  plan: Extract<RestorePlan, { safe: true }>,
): Promise<void> {
  const cwd = location.path;
  const { parts, paths } = plan;
  const inWorktree = await entries(runner, location, parts.worktree, paths);
  const inIndex = await entries(runner, location, parts.index, paths);
  const kept = paths.filter((p) => inWorktree.has(p));
  const literal = { GIT_LITERAL_PATHSPECS: "1" };
  try {
    for (const path of paths.filter((p) => !inWorktree.has(p))) {
      await Deno.remove(join(cwd, path)).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
      await removeEmptyFolders(cwd, path);
    }
    if (kept.length) {
      await runner.run(
        ["checkout", parts.worktree, "--pathspec-from-file=-", "--pathspec-file-nul"],
        { cwd, env: literal, stdin: kept.join("\0") + "\0", timeoutMs: 120_000 },
      );
    }
    // The index now holds the worktree's versions of those paths; give it the staged state where that
    // differs. Entries checkout wrote keep their stat data, so the next status need not hash them again;
    // a path the worktree lacks was not checked out, so its index entry is still HEAD's.
    const lines = paths.filter((p) => !inWorktree.has(p) || inIndex.get(p) !== inWorktree.get(p))
      .map((p) => inIndex.get(p) ?? `0 ${"0".repeat(parts.base.length)}\t${p}`);
    if (lines.length) {
      await runner.run(["update-index", "-z", "--index-info"], { cwd, stdin: lines.join("\0") + "\0" });
    }
  } catch (error) {
    // Nothing local was at these paths: HEAD's versions are what was there before.
    const undone = await undo(runner, location, paths).then(
      () => "its paths are back as HEAD has them",
      (e) =>
        `putting its paths back failed too (${(e as Error).message}); \`git status\` shows where they are`,
    );
    throw new WipError(`restoring into ${location.name} failed: ${(error as Error).message}; ${undone}`, {
      cause: error,
    });
  }
}

async function undo(runner: GitRunner, location: RepoLocation, paths: string[]): Promise<void> {
  const cwd = location.path;
  const head = await entries(runner, location, "HEAD", paths);
  for (const path of paths.filter((p) => !head.has(p))) {
    await runner.run(["rm", "--cached", "--quiet", "--ignore-unmatch", "--", path], {
      cwd,
      env: { GIT_LITERAL_PATHSPECS: "1" },
    });
    await Deno.remove(join(cwd, path)).catch(() => {});
  }
  const back = paths.filter((p) => head.has(p));
  if (back.length) {
    await runner.run(["checkout", "HEAD", "--pathspec-from-file=-", "--pathspec-file-nul"], {
      cwd,
      env: { GIT_LITERAL_PATHSPECS: "1" },
      stdin: back.join("\0") + "\0",
    });
  }
}

/** `update-index --index-info` lines of the tree's entries at `paths`, by path. */
async function entries(runner: GitRunner, location: RepoLocation, tree: string, paths: string[]) {
  const wanted = new Set(paths);
  const { stdout } = await runner.run(["ls-tree", "-r", "-z", "--full-tree", tree], { cwd: location.path });
  const found = new Map<string, string>();
  for (const line of stdout.split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const path = line.slice(tab + 1);
    if (!wanted.has(path)) continue;
    const [mode, , sha] = line.slice(0, tab).split(" ");
    found.set(path, `${mode} ${sha}\t${path}`);
  }
  return found;
}

/**
 * The snapshot on a new branch: one commit of its worktree on its base. Neither the worktree, the index nor
 * HEAD change; a branch of that name that already exists is left alone.
 */
export async function restoreOntoBranch(
  runner: GitRunner,
  location: RepoLocation,
  commit: string,
  branch: string,
): Promise<string> {
  const cwd = location.path;
  const parts = await snapshotParts(runner, location, commit);
  const valid = await runner.run(["check-ref-format", "--branch", branch], { cwd, allowFailure: true });
  if (valid.code !== 0) throw new WipError(`${JSON.stringify(branch)} cannot be a branch name`);
  const ref = `refs/heads/${branch}`;
  const { stdout: tree } = await runner.run(["rev-parse", `${commit}^{tree}`], { cwd });
  // Plumbing, so no log.showSignature or pager setting can run a program; the first line names the commit.
  const { stdout } = await runner.run([
    "rev-list",
    "--max-count=1",
    "--format=%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B",
    commit,
  ], {
    cwd,
  });
  const [name = "", email = "", date = "", cName = "", cEmail = "", cDate = "", message = ""] = stdout
    .slice(stdout.indexOf("\n") + 1).split("\0");
  const made = await runner.run(["commit-tree", tree.trim(), "-p", parts.base, "-m", message.trim()], {
    cwd,
    // The snapshot's own identities and times: a machine without user.email can do this too, and the same
    // snapshot always makes the same commit, so running it again finds its branch already made.
    env: {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: `${date} +0000`,
      GIT_COMMITTER_NAME: cName,
      GIT_COMMITTER_EMAIL: cEmail,
      GIT_COMMITTER_DATE: `${cDate} +0000`,
    },
  });
  const sha = made.stdout.trim();
  const existing = await runner.run(["rev-parse", "--verify", "--quiet", ref], { cwd, allowFailure: true });
  if (existing.code === 0 && existing.stdout.trim() === sha) return sha;
  if (existing.code === 0) {
    throw new WipError(
      `branch ${branch} already exists in ${location.name} and points elsewhere: rename or delete it first`,
    );
  }
  // The empty old value: created only if it still does not exist, whoever else is making branches.
  const created = await runner.run(["update-ref", ref, sha, ""], { cwd, allowFailure: true });
  if (created.code !== 0) {
    throw new WipError(`cannot create branch ${branch} in ${location.name}: ${created.stderr.trim()}`);
  }
  return sha;
}

/** `a/b/c` → `a`, `a/b`. */
function folders(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** As git does when a deletion empties a folder: a folder no file of the snapshot is in is not kept. */
async function removeEmptyFolders(cwd: string, path: string): Promise<void> {
  for (const folder of folders(path).reverse()) {
    // Deno.remove of a folder fails unless it is empty, which is the test.
    if (!(await Deno.remove(join(cwd, folder)).then(() => true, () => false))) return;
  }
}

function listed(paths: string[]): string {
  const shown = paths.slice(0, LISTED).join(", ");
  return paths.length > LISTED ? `${shown} and ${paths.length - LISTED} more` : shown;
}
