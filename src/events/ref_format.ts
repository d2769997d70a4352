/**
 * The rules of `git check-ref-format` for a full ref name, checked without starting git: a message from the
 * queue is validated before anything touches a repository.
 */

// Control characters are exactly what git forbids here.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]/;

export function isValidRefName(ref: string): boolean {
  if (!ref.startsWith("refs/") || ref.length > 1024) return false;
  if (FORBIDDEN.test(ref)) return false;
  if (ref.includes("..") || ref.includes("@{") || ref.includes("//")) return false;
  if (ref.endsWith("/") || ref.endsWith(".")) return false;
  for (const component of ref.split("/")) {
    if (component === "" || component.startsWith(".") || component.endsWith(".lock")) return false;
  }
  return ref !== "@";
}

/** A full object id: SHA-1 (40) or SHA-256 (64) in lowercase hex; all zeros means "deleted". */
export function isObjectId(sha: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha);
}

export function isDeletion(sha: string): boolean {
  return /^0+$/.test(sha);
}
