/**
 * Who may use the dashboard: whoever holds its token. The token reaches the browser the way git-annex's
 * webapp hands it over: through a file only this user can read (the address with the token, and a page that
 * forwards to it for `--open`), never through a command line another user could see in the process list.
 * The browser trades `?token=` for a cookie once; scripts send `Authorization: Bearer`.
 *
 * On loopback the Host header must name loopback too, so a web page that points its own domain name at
 * 127.0.0.1 (DNS rebinding) cannot read the dashboard through the user's browser. Actions are POSTs with a
 * JSON body from the dashboard's own origin, which a form or image on another site cannot send; the server
 * answers no CORS preflight, so scripts of other origins cannot either.
 */

import { join } from "../util/path.ts";
import { gitargusDir } from "../config/paths.ts";
import { writeFileAtomic } from "../util/fs.ts";

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The user-only files of the dashboard on `port`: its address with the token, and a page forwarding to it. */
export function accessFiles(home: string, port: number): { url: string; page: string } {
  const dir = join(gitargusDir(home), "dashboard");
  return { url: join(dir, `${port}.url`), page: join(dir, `${port}.html`) };
}

/** The token of an earlier run on this port, so a bookmarked dashboard keeps working across restarts. */
export async function previousToken(file: string): Promise<string | null> {
  try {
    const info = await Deno.stat(file);
    // A file others can read may have leaked: it is not reused.
    if (info.mode !== null && (info.mode & 0o077) !== 0) return null;
    const token = new URL((await Deno.readTextFile(file)).trim()).searchParams.get("token");
    return token && /^[\w-]{32}$/.test(token) ? token : null;
  } catch {
    return null;
  }
}

export async function writeAccessFiles(files: { url: string; page: string }, address: string): Promise<void> {
  await Deno.mkdir(join(files.url, ".."), { recursive: true, mode: 0o700 });
  await writeFileAtomic(files.url, `${address}\n`, { mode: 0o600 });
  const quoted = address.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  await writeFileAtomic(
    files.page,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${quoted}">` +
      `<title>GitArgus</title><a href="${quoted}">Open the GitArgus dashboard</a>\n`,
    { mode: 0o600 },
  );
}

export type Verdict =
  | { ok: true; setCookie?: string; redirect?: string }
  | { ok: false; status: 401 | 403; message: string };

export interface AccessRules {
  token: string;
  port: number;
  /** Bound to loopback only: the Host header must name loopback. */
  loopback: boolean;
}

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

export function cookieName(port: number): string {
  // Cookies are not kept apart by port: one name per port keeps two dashboards of one machine apart.
  return `gitargus_${port}`;
}

export function checkAccess(request: Request, rules: AccessRules): Verdict {
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? "";
  if (rules.loopback && !LOOPBACK_HOSTS.some((name) => host === name || host.startsWith(`${name}:`))) {
    return { ok: false, status: 403, message: `requests must name this machine's loopback, not "${host}"` };
  }
  const offered = url.searchParams.get("token");
  if (offered !== null && request.method === "GET") {
    if (!sameSecret(offered, rules.token)) return denied();
    url.searchParams.delete("token");
    return {
      ok: true,
      setCookie: `${cookieName(rules.port)}=${rules.token}; Path=/; HttpOnly; SameSite=Strict`,
      redirect: url.pathname + url.search,
    };
  }
  const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const cookie = readCookie(request.headers.get("cookie"), cookieName(rules.port));
  const given = bearer ?? cookie;
  if (given === undefined || !sameSecret(given, rules.token)) return denied();
  return { ok: true };
}

/** A POST must come from the dashboard's own page (or a script with no Origin) and carry JSON. */
export function checkAction(request: Request): string | null {
  if (request.method !== "POST") return "actions are POST requests";
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) return "actions take a JSON body (Content-Type: application/json)";
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (origin !== null && originHost(origin) !== host) {
    return `actions are not taken from another origin (${origin})`;
  }
  return null;
}

function denied(): Verdict {
  return { ok: false, status: 401, message: "this dashboard needs its access token" };
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Compares in time independent of where the strings differ. */
function sameSecret(given: string, token: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(token);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i]!;
  return diff === 0;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}
