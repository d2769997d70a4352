/**
 * The dashboard's real files behind a scripted server: `/` and `/assets/*` come from src/serve/assets, and
 * `/api/events` starts with a crafted snapshot, then sends whatever the test pushes. POSTs to `/api/actions/*`
 * are recorded and answered as `gitargus serve` answers them, so a test drives the page with any state it likes.
 */

import { loadAssets } from "../../src/serve/assets.ts";
import { cellOf } from "../../src/serve/cells.ts";
import type { Page } from "playwright-core";
import { headlessBrowser } from "./browser.ts";
import type { RepoStatus } from "../../src/state/repo_status.ts";

export interface Snapshot {
  now: string;
  localHost: string;
  report: { generatedAt: string; hosts: unknown[]; unreadable?: unknown[] };
  cells: { host: string; repo: string; attention: string[]; notes: string[] }[];
  silenced: { host: string; repo: string }[];
  activity: unknown[];
  missingHere?: { name: string; remoteUrl: string; hosts: string[] }[];
}

export interface ActionPost {
  action: string;
  body: Record<string, unknown>;
}

/** What a fetch answers; `gate` holds the answer back until the test resolves it. */
export interface FetchScript {
  answer: { ok: boolean; message: string };
  gate?: Promise<void>;
}

export interface MockDashboard extends AsyncDisposable {
  url: string;
  posts: ActionPost[];
  /** Sends a named event to every connected page. */
  push(event: string, data: unknown): void;
  fetchScript: FetchScript;
  /** Ends every open event stream, as a restarting server does; pages come back by themselves. */
  drop(): void;
  /** Resolves once `count` pages hold the event stream open. */
  connected(count?: number): Promise<void>;
}

// The real server's policy: tests see what the page can and cannot do there.
const HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

const encoder = new TextEncoder();

export async function mockDashboard(snapshot: Snapshot): Promise<MockDashboard> {
  const assets = await loadAssets();
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const waiters: (() => void)[] = [];
  const posts: ActionPost[] = [];
  let nextId = 1;
  let silenced = [...snapshot.silenced];
  const fetchScript: FetchScript = { answer: { ok: true, message: "up to date" } };

  const frame = (event: string, data: unknown) =>
    encoder.encode(`id: ${nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const push = (event: string, data: unknown) => {
    const bytes = frame(event, data);
    for (const stream of streams) {
      try {
        stream.enqueue(bytes);
      } catch {
        streams.delete(stream);
      }
    }
  };
  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), {
      status,
      headers: { ...HEADERS, "content-type": "application/json" },
    });

  async function action(name: string, request: Request): Promise<Response> {
    const body = await request.json().catch(() => null);
    if (!body || typeof body !== "object") return json({ error: "the body is not a JSON object" }, 400);
    posts.push({ action: name, body });
    if (name === "fetch") {
      const id = `f${nextId}`;
      const progress = (state: string, message: string) =>
        push("action", { id, action: "fetch", host: snapshot.localHost, repo: body.repo, state, message });
      progress("running", `fetching ${body.repo}`);
      await fetchScript.gate;
      progress(fetchScript.answer.ok ? "done" : "failed", fetchScript.answer.message);
      return json(fetchScript.answer);
    }
    if (name === "silence") {
      const { host, repo } = body;
      silenced = silenced.filter((s) => s.host !== host || s.repo !== repo);
      if (body.silenced === true) silenced.push({ host, repo });
      push("silenced", { silenced });
      return json({ silenced });
    }
    return json({ error: `there is no action "${name}"` }, 404);
  }

  function events(): Response {
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = controller;
        controller.enqueue(encoder.encode("retry: 500\n\n"));
        controller.enqueue(frame("snapshot", { ...snapshot, silenced }));
        streams.add(controller);
        for (const wake of waiters.splice(0)) wake();
      },
      cancel() {
        streams.delete(self);
      },
    });
    return new Response(body, { headers: { ...HEADERS, "content-type": "text/event-stream" } });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/api/actions/") && request.method === "POST") {
      return await action(path.slice("/api/actions/".length), request);
    }
    if (path === "/api/events") return events();
    const file = assets.get(path === "/" ? "index.html" : path.replace(/^\/assets\//, ""));
    if (!file || (path !== "/" && !path.startsWith("/assets/"))) return json({ error: "not here" }, 404);
    return new Response(file.body, { headers: { ...HEADERS, "content-type": file.type } });
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    posts,
    push,
    fetchScript,
    drop() {
      for (const stream of streams) stream.close();
      streams.clear();
    },
    async connected(count = 1) {
      while (streams.size < count) await new Promise<void>((wake) => waiters.push(wake));
    },
    async [Symbol.asyncDispose]() {
      for (const stream of streams) {
        try {
          stream.close();
        } catch {
          // Closed by the page already.
        }
      }
      await server.shutdown();
    },
  };
}

/** A repository record with every field, clean and up to date unless `fields` says otherwise. */
export function repoStatus(name: string, at: string, fields: Partial<RepoStatus> = {}): RepoStatus {
  return {
    name,
    path: `~/src/${name}`,
    state: "UP_TO_DATE",
    branch: "main",
    upstream: "origin/main",
    head: "3f1c2ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4",
    ahead: 0,
    behind: 0,
    clean: true,
    changes: { staged: 0, unstaged: 0, untracked: 0, conflicted: 0, entries: [], truncated: false },
    stashes: 0,
    unpushedBranches: [],
    operation: null,
    lastFetch: { at, ok: true },
    sync: null,
    error: null,
    updatedAt: at,
    ...fields,
  };
}

// A crafted fleet: this machine with a repository in every state, an offline laptop, a stopped server.

const NOW = Date.now();
export const iso = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const CHANGES = { staged: 1, unstaged: 2, untracked: 1, conflicted: 0, truncated: false };

function desktopRepos(): RepoStatus[] {
  return [
    repoStatus("api", iso(4)),
    repoStatus("web", iso(30), {
      state: "AHEAD",
      ahead: 2,
      clean: false,
      changes: {
        ...CHANGES,
        entries: [{ code: "M.", path: "src/app.ts" }, { code: "??", path: "notes.txt" }],
      },
      stashes: 2,
      unpushedBranches: [{ name: "idea", upstream: null, ahead: 1 }],
    }),
    repoStatus("tools", iso(90), {
      state: "BEHIND",
      behind: 3,
      lastFetch: { at: iso(60), ok: false, error: "could not resolve host: git.example" },
      sync: { at: iso(60), result: "blocked", reason: "local changes to a.txt" },
    }),
    repoStatus("docs", iso(200), { state: "DIVERGED", ahead: 1, behind: 2 }),
    repoStatus("lab", iso(5), { state: "NO_UPSTREAM", upstream: null }),
    repoStatus("bisect", iso(5), {
      state: "DETACHED",
      branch: null,
      worktrees: [{
        path: "../bisect-hotfix",
        branch: "hotfix",
        head: null,
        clean: false,
        changes: { staged: 0, unstaged: 1, untracked: 0, conflicted: 0 },
        operation: null,
      }],
    }),
    repoStatus("old", iso(5), { state: "MISSING", branch: null, head: null, error: "the folder is gone" }),
    repoStatus("broken", iso(5), { state: "FAILED", error: "git status failed: index.lock exists" }),
    repoStatus("<script>alert(1)</script>", iso(5)),
  ];
}

export function host(hostname: string, fields: Record<string, unknown>, repositories: RepoStatus[]) {
  return {
    hostname,
    heartbeatAt: iso(3),
    online: true,
    stoppedAt: null,
    version: "0.4.0",
    mode: "service",
    eventVersion: 2,
    repositories,
    ...fields,
  };
}

export function fixture(): Snapshot {
  const laptop = [repoStatus("api", iso(400), { state: "BEHIND", behind: 1 }), repoStatus("web", iso(400))];
  const hosts = [
    host("desktop", {}, desktopRepos()),
    host("laptop", { online: false, heartbeatAt: iso(300), mode: "foreground" }, laptop),
    host("server", { online: false, stoppedAt: iso(7200), version: null, mode: null }, []),
  ];
  const cells = hosts.flatMap((h) => h.repositories.map((r) => cellOf(h.hostname, r, "desktop")));
  return {
    now: new Date(NOW).toISOString(),
    localHost: "desktop",
    report: { generatedAt: iso(0), hosts },
    cells,
    silenced: [],
    activity: [{
      id: "a1",
      at: iso(4),
      host: "laptop",
      repo: "api",
      kind: "fast-forwarded",
      text: "laptop fast-forwarded api to 3f1c2ab, pushed from desktop",
    }],
  };
}

export async function openDashboard(snapshot = fixture(), viewport = { width: 1280, height: 900 }) {
  const server = await mockDashboard(snapshot);
  const browser = await headlessBrowser();
  const page = await browser.page(viewport);
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(server.url);
  await page.waitForSelector("#connection.live");
  return {
    server,
    page,
    requests,
    async [Symbol.asyncDispose]() {
      await browser[Symbol.asyncDispose]();
      await server[Symbol.asyncDispose]();
    },
  };
}

// The page's globals, inside functions that run in the page.
// deno-lint-ignore no-explicit-any
export type Dom = any;
export const focusedRepo = (page: Page) =>
  page.evaluate(() => (globalThis as Dom).document.activeElement?.getAttribute("data-repo"));
export const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();
