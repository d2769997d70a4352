/**
 * Running one planned clone. git is told, on its own command line (which no config file overrides), to use
 * no transport but https, ssh and file — a redirect or a submodule URL cannot switch to another — and the
 * URL and folder come after `--`, so neither can be read as an option.
 */

import type { GitRunner } from "../git/runner.ts";
import type { PlannedClone } from "./plan.ts";

const CLONE_TIMEOUT_MS = 30 * 60_000;

const PROTOCOLS = [
  "-c",
  "protocol.allow=never",
  "-c",
  "protocol.https.allow=always",
  "-c",
  "protocol.ssh.allow=always",
  "-c",
  "protocol.file.allow=always",
];

/** The command as it is run (and shown before, for the user to confirm). */
export function cloneArgs(clone: PlannedClone): string[] {
  return ["clone", "--", clone.url, clone.path];
}

export async function runClone(
  runner: GitRunner,
  clone: PlannedClone,
  cwd: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const result = await runner.run([...PROTOCOLS, ...cloneArgs(clone)], {
    cwd,
    timeoutMs: CLONE_TIMEOUT_MS,
    allowFailure: true,
  });
  if (result.code === 0) return { ok: true };
  const said = result.stderr.trim().split("\n").filter(Boolean).pop() ?? `git exited with ${result.code}`;
  // git removes the folder it created for a clone that failed; one it could not remove is named.
  const left = await Deno.lstat(clone.path).then(() => true, () => false);
  return {
    ok: false,
    reason: said.replace(/^fatal: /, "") + (left ? ` (${clone.path} was left behind)` : ""),
  };
}
