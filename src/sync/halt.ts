/**
 * A move that git stopped halfway and that could not be put back leaves files the user has to look at. Until
 * they have, no automatic move may happen there, across daemon restarts: the marker lives in the worktree's
 * git dir as `gitargus-halted` (JSON: the move, the reason, the paths it left changed).
 *
 * It clears itself once the user has dealt with it: HEAD is no longer the commit the move started from (the
 * user committed, merged or reset), or none of the recorded paths shows a change any more (worktree and index
 * agree with HEAD there again, e.g. after the `git checkout -- <paths>` the reason suggests).
 */

import * as localFs from "../util/local_fs.ts";
import { join } from "node:path";
import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { type LocalChange, readStatusChanges } from "./local_changes.ts";
import type { PathKey } from "./quoted_path.ts";

export const HALT_MARKER = "gitargus-halted";

export interface Halt {
  at: string;
  branch: string;
  from: string;
  to: string;
  reason: string;
  /** Paths left changed (bytes as one char each). */
  paths: PathKey[];
}

export function haltPath(location: RepoLocation): string {
  return join(location.gitDir, HALT_MARKER);
}

export async function recordHalt(location: RepoLocation, halt: Halt): Promise<void> {
  await writeFileAtomic(haltPath(location), `${JSON.stringify(halt, null, 2)}\n`);
}

/** The halt still in force, or null; a halt the user has dealt with is removed. */
export async function activeHalt(runner: GitRunner, location: RepoLocation): Promise<Halt | null> {
  let halt: Halt;
  try {
    halt = JSON.parse(await localFs.readTextFile(haltPath(location)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    // An unreadable marker still means a move stopped halfway: keep holding back.
    return { at: "", branch: "", from: "", to: "", reason: `cannot read ${haltPath(location)}`, paths: [] };
  }
  if (await stillHalted(runner, location, halt)) return halt;
  await Deno.remove(haltPath(location)).catch(() => {});
  return null;
}

async function stillHalted(runner: GitRunner, location: RepoLocation, halt: Halt): Promise<boolean> {
  const head = await runner.run(["rev-parse", "--verify", "--quiet", "HEAD"], {
    cwd: location.path,
    allowFailure: true,
  });
  if (head.stdout.trim() !== halt.from) return false;
  const recorded = new Set(halt.paths);
  const changed = (c: LocalChange) => c.kind !== "ignored" && recorded.has(c.path);
  return (await readStatusChanges(runner, location)).some(changed);
}
