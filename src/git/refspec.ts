/**
 * Fetch refspecs (`remote.<name>.fetch`), read the way `git fetch` reads them: which local ref a fetch of the
 * remote's ref updates, if any. Single-branch clones and narrowed refspecs fetch only part of a remote; a push
 * to a ref outside that part never shows up here, so nothing should wait for it.
 */

export interface Refspec {
  /** `^src`: refs matching src are not fetched, whatever other refspecs say. */
  negative: boolean;
  src: string;
  /** Null when the refspec fetches into FETCH_HEAD only. */
  dst: string | null;
}

/** Parses one `remote.<name>.fetch` value; null for what git would not accept as a fetch refspec. */
export function parseRefspec(text: string): Refspec | null {
  let spec = text.trim();
  if (spec.startsWith("^")) {
    spec = spec.slice(1);
    if (spec.includes(":") || spec === "") return null;
    return { negative: true, src: spec, dst: null };
  }
  if (spec.startsWith("+")) spec = spec.slice(1);
  const colon = spec.indexOf(":");
  const src = colon < 0 ? spec : spec.slice(0, colon);
  const dst = colon < 0 ? null : spec.slice(colon + 1) || null;
  if (src === "" || count(src, "*") > 1 || (dst !== null && count(dst, "*") !== count(src, "*"))) return null;
  return { negative: false, src, dst };
}

/** The local refs a fetch through `refspecs` writes for the remote's `ref`; empty when it writes none. */
export function localRefsFor(ref: string, refspecs: readonly Refspec[]): string[] {
  if (refspecs.some((spec) => spec.negative && match(spec.src, ref) !== null)) return [];
  const found = new Set<string>();
  for (const spec of refspecs) {
    if (spec.negative || spec.dst === null) continue;
    const captured = match(spec.src, qualified(ref, spec.src));
    if (captured !== null) found.add(spec.dst.replace("*", captured));
  }
  return [...found];
}

/** `main` in a refspec means `refs/heads/main` to git; the pushed ref is always full. */
function qualified(ref: string, src: string): string {
  if (src.startsWith("refs/") || src.includes("*")) return ref;
  return ref === `refs/heads/${src}` || ref === `refs/tags/${src}` ? src : ref;
}

/** What the `*` of `pattern` stands for in `ref` ("" for an exact match), or null when it does not match. */
function match(pattern: string, ref: string): string | null {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === ref ? "" : null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (ref.length < prefix.length + suffix.length) return null;
  if (!ref.startsWith(prefix) || !ref.endsWith(suffix)) return null;
  return ref.slice(prefix.length, ref.length - suffix.length);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
