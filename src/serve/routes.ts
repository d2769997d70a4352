/** The dashboard's HTTP surface: the page, its files, the JSON API, the event stream and the actions. */

import type { StatusReport } from "../report/status_report.ts";
import { type AccessRules, checkAccess, checkAction } from "./access.ts";
import type { Asset } from "./assets.ts";
import { cellsOf } from "./cells.ts";
import { eventStream } from "./event_stream.ts";
import type { Feed } from "./feed.ts";
import type { FetchNow } from "./fetch_now.ts";
import type { SilenceList } from "./silenced.ts";

export interface RouteDeps {
  access: AccessRules;
  assets: Map<string, Asset>;
  feed: Feed;
  silenced: SilenceList;
  fetchNow: FetchNow;
  localHost: string;
  now: () => Date;
  /** Aborted when the server stops: open event streams end. */
  closing: AbortSignal;
  /** Told of actions, for the log. */
  onAction?: (text: string) => void;
}

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const DENIED_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>GitArgus</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/style.css"><body class="denied">
<h1>GitArgus dashboard</h1><p>This address needs the dashboard's access link. On the machine that runs
<code>gitargus serve</code>, run <code>gitargus serve --open</code>, or open the address kept in
<code>~/.gitargus/dashboard/&lt;port&gt;.url</code>.</p></body></html>`;

export function handler(deps: RouteDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await route(deps, request);
    } catch (error) {
      return json({ error: (error as Error).message }, 500);
    }
  };
}

async function route(deps: RouteDeps, request: Request): Promise<Response> {
  const url = new URL(request.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return json({ error: "the address is not valid percent-encoding" }, 400);
  }
  const verdict = checkAccess(request, deps.access);
  if (path.startsWith("/assets/") && (verdict.ok || verdict.status === 401)) {
    return asset(deps, path.slice(8));
  }
  if (!verdict.ok) {
    if (path === "/" && request.method === "GET") return page(DENIED_PAGE, verdict.status);
    return json({ error: verdict.message }, verdict.status);
  }
  if (verdict.redirect !== undefined) {
    return new Response(null, {
      status: 303,
      headers: { ...SECURITY_HEADERS, location: verdict.redirect, "set-cookie": verdict.setCookie ?? "" },
    });
  }
  if (path.startsWith("/api/actions/")) return await action(deps, request, path.slice(13));
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json({ error: "only GET is served here" }, 405);
  }
  if (path === "/") return asset(deps, "index.html");
  if (path === "/favicon.ico") return asset(deps, "icon.svg");
  if (path === "/api/events") return events(deps, request);
  const host = /^\/api\/hosts\/([^/]+)$/.exec(path)?.[1] ?? /^\/([^/]+)$/.exec(path)?.[1];
  if (path !== "/api/hosts" && host === undefined) {
    return json({ error: `nothing is served at ${path}` }, 404);
  }
  let report: StatusReport;
  try {
    report = await deps.feed.report();
  } catch (error) {
    return json({ error: `cannot read the store: ${(error as Error).message}` }, 503);
  }
  return host === undefined
    ? json({ ...report, missingHere: deps.feed.missingHere() })
    : hostReport(report, host);
}

function hostReport(report: StatusReport, hostname: string): Response {
  const host = report.hosts.find((h) => h.hostname === hostname);
  return host ? json(host) : json({ error: `no machine named "${hostname}" has reported` }, 404);
}

function events(deps: RouteDeps, request: Request): Response {
  const lastEventId = request.headers.get("last-event-id");
  const closed = AbortSignal.any([request.signal, deps.closing]);
  const body = eventStream(deps.feed, lastEventId, () => snapshot(deps), closed);
  return new Response(body, {
    headers: { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8" },
  });
}

export async function snapshot(deps: RouteDeps): Promise<unknown> {
  const report = await deps.feed.report();
  return {
    now: deps.now().toISOString(),
    localHost: deps.localHost,
    report,
    cells: cellsOf(report, deps.localHost),
    missingHere: deps.feed.missingHere(),
    silenced: deps.silenced.items(),
    activity: deps.feed.activity(),
    problem: deps.feed.problem,
  };
}

async function action(deps: RouteDeps, request: Request, name: string): Promise<Response> {
  const refused = checkAction(request);
  if (refused) return json({ error: refused }, request.method === "POST" ? 400 : 405);
  let body: Record<string, unknown>;
  try {
    const parsed = await request.json();
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    body = parsed;
  } catch {
    return json({ error: "the body is not a JSON object" }, 400);
  }
  const repo = body.repo;
  if (typeof repo !== "string" || repo === "") return json({ error: 'the body needs "repo", a name' }, 400);
  if (name === "fetch") return await fetchAction(deps, repo);
  if (name === "silence") {
    const host = body.host ?? deps.localHost;
    if (typeof host !== "string" || typeof body.silenced !== "boolean") {
      return json({ error: 'the body needs "host" (a name) and "silenced" (true or false)' }, 400);
    }
    const silenced = await deps.silenced.set({ host, repo }, body.silenced);
    deps.feed.emit("silenced", { silenced });
    deps.onAction?.(`${body.silenced ? "Silenced" : "Unsilenced"} ${repo} on ${host}`);
    return json({ silenced });
  }
  return json({ error: `there is no action "${name}"` }, 404);
}

async function fetchAction(deps: RouteDeps, repo: string): Promise<Response> {
  const id = `f${crypto.randomUUID().slice(0, 8)}`;
  const progress = (state: string, message: string) =>
    deps.feed.emit("action", { id, action: "fetch", host: deps.localHost, repo, state, message });
  progress("running", `fetching ${repo}`);
  deps.onAction?.(`Fetch now: ${repo}`);
  const outcome = await deps.fetchNow(repo);
  progress(outcome.ok ? "done" : "failed", outcome.message);
  deps.feed.addActivity({
    at: deps.now().toISOString(),
    host: deps.localHost,
    repo,
    kind: "action",
    text: `fetch now on ${deps.localHost}: ${outcome.message}`,
  });
  deps.feed.refreshSoon();
  return json(outcome, outcome.ok || !outcome.message.includes("not configured") ? 200 : 404);
}

function asset(deps: RouteDeps, name: string): Response {
  const file = deps.assets.get(name);
  if (!file) return json({ error: `nothing is served at /assets/${name}` }, 404);
  return new Response(file.body, { headers: { ...SECURITY_HEADERS, "content-type": file.type } });
}

function page(html: string, status: number): Response {
  return new Response(html, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" },
  });
}

function json(value: unknown, status = 200): Response {
  return new Response(`${JSON.stringify(value, null, 2)}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8" },
  });
}
