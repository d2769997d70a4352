/** `git diff-tree --raw -z` between two trees, parsed: the plumbing form, free of diff drivers and textconv. */

import type { GitRunner } from "../git/runner.ts";

export interface TreeChange {
  /** A added, D deleted, M modified (content or mode), T type changed, R renamed (with renames on). */
  status: string;
  srcMode: string;
  dstMode: string;
  dstSha: string;
  path: string;
  /** The source path of a rename. */
  from?: string;
}

export async function treeChanges(
  runner: GitRunner,
  cwd: string,
  from: string,
  to: string,
  options: { renames?: boolean } = {},
): Promise<TreeChange[]> {
  const args = ["diff-tree", "-r", "-z", "--raw", options.renames ? "-M" : "--no-renames", from, to];
  const { stdout } = await runner.run(args, { cwd });
  return parseRaw(stdout);
}

export function parseRaw(output: string): TreeChange[] {
  const fields = output.split("\0");
  const changes: TreeChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const head = fields[i]!;
    if (!head.startsWith(":")) continue;
    const [srcMode = "", dstMode = "", , dstSha = "", status = ""] = head.slice(1).split(" ");
    const letter = status.charAt(0);
    if (letter === "R" || letter === "C") {
      const source = fields[++i] ?? "";
      changes.push({ status: letter, srcMode, dstMode, dstSha, path: fields[++i] ?? "", from: source });
    } else changes.push({ status: letter, srcMode, dstMode, dstSha, path: fields[++i] ?? "" });
  }
  return changes;
}

/** The paths two trees differ in, renames as a deletion and an addition. */
export async function changedPaths(
  runner: GitRunner,
  cwd: string,
  from: string,
  to: string,
): Promise<string[]> {
  return (await treeChanges(runner, cwd, from, to)).map((c) => c.path);
}
