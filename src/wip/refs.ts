/**
 * Where snapshots live: `refs/gitargus/wip/<host>/<branch>` on the repository's remote (and a copy in the
 * clone), outside `refs/heads/` and `refs/tags/`, so no clone fetches them by default, no branch list shows
 * them, and no other tool's namespace is touched. A redirected restore makes the branch `wip/<host>/<branch>`.
 */

import { GitargusError } from "../errors.ts";

export const WIP_NAMESPACE = "refs/gitargus/wip/";

/** Something about a snapshot that cannot be done or found; one line, exit 1. */
export class WipError extends GitargusError {}

/** The branch a snapshot of a detached HEAD is filed under. */
export const DETACHED = "HEAD";

export function wipRef(host: string, branch: string): string {
  const ref = `${WIP_NAMESPACE}${host}/${branch}`;
  if (!isValidRef(ref)) throw new WipError(`cannot name a snapshot of ${JSON.stringify(branch)} on ${host}`);
  return ref;
}

/** `refs/gitargus/wip/laptop/feature/x` → laptop, feature/x; null for any other ref. */
export function parseWipRef(ref: string): { host: string; branch: string } | null {
  if (!ref.startsWith(WIP_NAMESPACE)) return null;
  const rest = ref.slice(WIP_NAMESPACE.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { host: rest.slice(0, slash), branch: rest.slice(slash + 1) };
}

export function isWipRef(ref: string): boolean {
  return ref.startsWith(WIP_NAMESPACE);
}

/** The branch a snapshot goes to when it cannot be applied to the worktree. */
export function wipBranchName(host: string, branch: string): string {
  return `wip/${host}/${branch}`;
}

/** git's rules for a ref name (check-ref-format), for names built here from a host and a branch. */
function isValidRef(ref: string): boolean {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref) || ref.includes("..") || ref.includes("@{") || ref.includes("//")) {
    return false;
  }
  if (ref.endsWith("/") || ref.endsWith(".") || ref === "@") return false;
  return ref.split("/").every((part) => part !== "" && !part.startsWith(".") && !part.endsWith(".lock"));
}
