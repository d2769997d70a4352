/**
 * Which recorded URLs `gitargus clone` runs git with. The URL comes from another machine's record, which
 * anyone with access to the table can write, so only transports that authenticate the server or stay on
 * this machine are taken: https, ssh (also scp-like `git@host:path`) and file (also an absolute path).
 * Everything that can run a program (`ext::`, remote helpers `x::`), the unencrypted http:// and git://,
 * option-like and relative URLs, and URLs that carry credentials are refused.
 */

const ALLOWED_SCHEMES = new Set(["https", "ssh", "git+ssh", "ssh+git", "file"]);

/** Why git must not be run with `url`, or null when it may. */
export function cloneUrlProblem(url: string): string | null {
  // deno-lint-ignore no-control-regex
  if (url === "" || /[\x00-\x20\x7f]/.test(url)) return "it is empty or holds spaces or control characters";
  if (url.startsWith("-")) return "it starts with a dash, as an option would";
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (!ALLOWED_SCHEMES.has(name)) return `its transport ${name}:// is not one of https, ssh and file`;
    const authority = url.slice(scheme[0].length).split(/[/?#]/)[0] ?? "";
    const user = authority.includes("@") ? authority.slice(0, authority.lastIndexOf("@")) : "";
    if (name === "https" && user) return "it carries credentials (a user or token before the host)";
    if (user.includes(":")) return "it carries a password";
    return null;
  }
  if (/^[a-z0-9+.-]+::/i.test(url)) {
    return "it names a remote helper (transport::address), which runs a program";
  }
  if (url.startsWith("/")) return null;
  // scp-like: [user@]host:path, where the host has no slash before the colon.
  const scp = /^(?:([^/@]+)@)?([^/:]+):(.*)$/s.exec(url);
  if (scp) {
    if (scp[1]?.includes(":")) return "it carries a password";
    return scp[3] ? null : "it names no path on the host";
  }
  return "it is a relative path, which means nothing on another machine";
}
