/** Which directories of a repository to watch: git metadata plus every directory git does not ignore. */

import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { metadataDirectories } from "../git/metadata_dirs.ts";
import { decodeName, isUtf8 } from "../util/escape.ts";

export interface WatchPlan {
  directories: string[];
  /**
   * Directories whose names are not UTF-8 (shown with `\xNN`): a Deno path cannot spell them, so no watch can
   * be set on them and edits inside them are found only by checking the repository periodically.
   */
  unnamable: string[];
}

export async function watchPlan(runner: GitRunner, location: RepoLocation): Promise<WatchPlan> {
  // Linked worktrees' git dirs are among them: an operation ending there may free a branch for a fast-forward.
  const dirs = new Set<string>([location.path, ...await metadataDirectories(location)]);
  const unnamable = new Set<string>();
  // Index entries, untracked files and collapsed untracked directories; ignored trees are never listed.
  const result = await runner.run(
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--directory", "--no-empty-directory"],
    { cwd: location.path, timeoutMs: 60_000 },
  );
  const output = result.stdoutBytes ?? new TextEncoder().encode(result.stdout);
  for (const entry of split(output, 0)) {
    const parts = split(entry, 0x2f);
    // Every ancestor directory of a file; for a collapsed directory ("dist/") that includes itself.
    const names: string[] = [];
    for (let i = 0; i + 1 < parts.length; i++) {
      const part = parts[i]!;
      if (!isUtf8(part)) {
        unnamable.add(join(location.path, ...names, decodeName(part)));
        break;
      }
      names.push(decodeName(part));
      dirs.add(join(location.path, ...names));
    }
  }
  return { directories: [...dirs], unnamable: [...unnamable] };
}

/** The directories alone, for callers that do not care about the unnamable ones. */
export async function watchedDirectories(runner: GitRunner, location: RepoLocation): Promise<string[]> {
  return (await watchPlan(runner, location)).directories;
}

/** The pieces of `bytes` between `separator` bytes; for NUL without the empty ones ("dist/" → dist, ""). */
function split(bytes: Uint8Array, separator: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let end = bytes.indexOf(separator); end >= 0; end = bytes.indexOf(separator, start)) {
    pieces.push(bytes.subarray(start, end));
    start = end + 1;
  }
  pieces.push(bytes.subarray(start));
  return separator === 0 ? pieces.filter((p) => p.length > 0) : pieces;
}
