/**
 * Finding a configured repository on disk, and noticing cheaply when what was found is no longer there. git
 * runs only in a folder that is itself a repository's top level: never in a plain folder inside some other
 * repository, never through a `.git` that belongs to another folder.
 */

import * as localFs from "../util/local_fs.ts";
import { firstLine } from "../errors.ts";
import type { RepositoryConfig } from "../config/types.ts";
import { basename, dirname, resolve } from "../util/path.ts";
import type { GitRunner } from "./runner.ts";
import type { Located, RepoLocation } from "./repo.ts";

/**
 * What the folder was when it was located: its real path and the file identities (device and inode) of the
 * folder, of its `.git` entry and of the git dir. Any of them changing means the repository was deleted,
 * moved, replaced, or re-pointed.
 */
export interface LocationIdentity {
  real: string;
  worktree: string;
  dotGit: string;
  gitDir: string;
}

export async function locateRepository(runner: GitRunner, repo: RepositoryConfig): Promise<Located> {
  const missing = (why: string): Located => ({ ok: false, reason: `"${repo.path}" ${why}` });
  const real = await localFs.realPath(repo.path).catch(() => null);
  if (real === null) return missing("does not exist");
  const folder = await localFs.stat(real).catch(() => null);
  if (!folder?.isDirectory) return missing("is not a folder");
  // No `.git` here means no repository here, whatever a parent folder holds: no git process needed.
  const dotGit = await localFs.lstat(`${real}/.git`).catch(() => null);
  if (!dotGit) return missing("is not a git repository");
  const plain = dotGit.isDirectory ? await plainGitDir(`${real}/.git`) : false;
  if (plain) {
    // What identify() would read, read already: the `.git` folder is itself the git dir.
    const identity = { real, worktree: fileId(folder), dotGit: fileId(dotGit), gitDir: fileId(dotGit) };
    return {
      ok: true,
      location: { name: repo.name, path: repo.path, gitDir: plain, commonDir: plain, identity },
    };
  }
  const result = await runner.run(
    ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir", "--git-common-dir"],
    { cwd: repo.path, allowFailure: true, timeoutMs: 10_000 },
  );
  const [toplevel, gitDir, commonDir] = result.stdout.split("\n");
  if (result.code !== 0 || !toplevel || !gitDir || !commonDir) {
    const detail = firstLine(result.stderr).replace(/^fatal: /, "");
    return missing(`is not a git repository${detail ? ` (${detail})` : ""}`);
  }
  if (toplevel !== real) return missing(`is not a git repository (its work tree is "${toplevel}")`);
  const absolute = (p: string) => resolve(p, repo.path);
  const location: RepoLocation = {
    name: repo.name,
    path: repo.path,
    gitDir: absolute(gitDir),
    commonDir: absolute(commonDir),
  };
  const owner = await gitDirOwner(location);
  if (owner !== real) {
    return missing(`is not a git repository (its .git belongs to "${owner ?? location.gitDir}")`);
  }
  const identity = await identify(location);
  if (!identity) return missing("changed while it was being located");
  return { ok: true, location: { ...location, identity } };
}

/**
 * The common case, answered without a git process (one per repository is what `status --local` and a start
 * can least afford): a real `.git` folder with what git requires of one, whose config neither moves the
 * work tree, nor declares it bare, nor includes other files. Its folder is then the top level and it is its
 * own common dir. Anything else (a gitfile, a symlink, a worktree's or a damaged git dir) is asked of git.
 */
async function plainGitDir(dir: string): Promise<string | false> {
  const entries = new Map<string, Deno.DirEntry>();
  try {
    for (const entry of await localFs.readDir(dir)) entries.set(entry.name, entry);
  } catch {
    return false;
  }
  const has = (name: string, kind: "isFile" | "isDirectory") => entries.get(name)?.[kind] === true;
  if (!has("HEAD", "isFile") || !has("objects", "isDirectory") || !has("refs", "isDirectory")) return false;
  if (entries.has("commondir") || !has("config", "isFile")) return false;
  const config = await localFs.readTextFile(`${dir}/config`).catch(() => null);
  if (config === null) return false;
  // An included file could say either: those are asked of git too.
  if (/^\s*(worktree\b|bare\s*=\s*(true|yes|on|1)\b|\[\s*include)/im.test(config)) return false;
  return dir;
}

/**
 * The work tree a git dir belongs to. A git dir named `.git` belongs to the folder holding it; a linked
 * worktree's git dir names its work tree in its `gitdir` file; any other (a submodule's, under
 * `.git/modules`) is git's own business and was checked through the top level above.
 */
async function gitDirOwner(location: RepoLocation): Promise<string | null> {
  const gitDir = await localFs.realPath(location.gitDir).catch(() => null);
  const commonDir = await localFs.realPath(location.commonDir).catch(() => null);
  if (!gitDir || !commonDir) return null;
  if (gitDir !== commonDir) {
    const back = await localFs.readTextFile(`${gitDir}/gitdir`).catch(() => null);
    if (back === null) return null;
    return await localFs.realPath(dirname(resolve(back.trim(), gitDir))).catch(() => null);
  }
  if (basename(gitDir) === ".git") return dirname(gitDir);
  return await localFs.realPath(location.path).catch(() => null);
}

/** Four system calls and no git process: cheap enough before every job. */
export async function stillLocated(location: RepoLocation): Promise<boolean> {
  const recorded = location.identity;
  if (!recorded) return true;
  const now = await identify(location);
  return now !== null && now.real === recorded.real && now.worktree === recorded.worktree &&
    now.dotGit === recorded.dotGit && now.gitDir === recorded.gitDir;
}

async function identify(location: RepoLocation): Promise<LocationIdentity | null> {
  try {
    const real = await localFs.realPath(location.path);
    const [worktree, dotGit, gitDir] = await Promise.all([
      localFs.stat(real),
      localFs.lstat(`${real}/.git`),
      localFs.stat(location.gitDir),
    ]);
    return {
      real,
      worktree: fileId(worktree),
      // A gitfile can be rewritten in place to point elsewhere: its content's age counts too.
      dotGit: dotGit.isFile ? `${fileId(dotGit)}@${dotGit.mtime?.getTime()}` : fileId(dotGit),
      gitDir: fileId(gitDir),
    };
  } catch {
    return null;
  }
}

function fileId(info: Deno.FileInfo): string {
  return `${info.dev}:${info.ino}`;
}
