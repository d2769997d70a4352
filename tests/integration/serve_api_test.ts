/**
 * `gitargus serve` over real HTTP, against emulator-backed records written by real daemons: the JSON API, the
 * token, the event stream and the actions.
 */

import assert from "node:assert/strict";
import { fleet, statusJson } from "../helpers/fleet.ts";
import { serveDashboard } from "../helpers/dashboard.ts";

const OPTIONS = { sanitizeOps: false, sanitizeResources: false };

async function rawRequest(url: string, lines: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  await conn.write(new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`));
  const buffer = new Uint8Array(4096);
  const n = await conn.read(buffer);
  conn.close();
  return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
}

Deno.test("serve: the API, the token, the event stream and fetch now, over real HTTP", OPTIONS, async (t) => {
  await using f = await fleet({
    machines: ["desktop", "laptop"],
    repositories: ["api", "web"],
    setupAws: true,
  });
  const desktop = f.machine("desktop");
  const laptop = f.machine("laptop");
  await f.ok("desktop", ["run", "--once"]);
  await f.ok("laptop", ["run", "--once"]);
  await using served = await serveDashboard(f, "desktop");

  await t.step("the address file is the user's alone and the token is not on the command line", async () => {
    const port = new URL(served.url).port;
    const info = await Deno.stat(`${desktop.home}/.gitargus/dashboard/${port}.url`);
    assert.equal(info.mode! & 0o777, 0o600);
    const cmdline = await Deno.readTextFile(`/proc/${served.process.pid}/cmdline`).catch(() => "");
    assert.ok(!cmdline.includes(served.token));
    assert.ok(!served.process.output().includes(served.token), "the token is never printed");
  });

  await t.step("GET /api/hosts is the document `status --json` prints", async () => {
    const api = await served.json<{ hosts: unknown[] }>("/api/hosts");
    const cli = await statusJson(f, "desktop");
    const strip = (doc: { hosts: unknown[] }) => JSON.parse(JSON.stringify(doc.hosts));
    assert.deepEqual(strip(api), strip(cli as { hosts: unknown[] }));
    const laptopHost = await served.json<{ hostname: string; repositories: { name: string }[] }>(
      "/api/hosts/laptop",
    );
    assert.equal(laptopHost.hostname, "laptop");
    assert.deepEqual(laptopHost.repositories.map((r) => r.name), ["api", "web"]);
    assert.deepEqual(await served.json("/laptop"), laptopHost, "the original's path serves the same");
    const unknown = await served.request("/api/hosts/nowhere");
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /no machine named "nowhere"/);
  });

  await t.step("without the token nothing is served but the sign-in page", async () => {
    for (const path of ["/api/hosts", "/api/hosts/laptop", "/laptop", "/api/events"]) {
      const bare = await fetch(new URL(path, served.url));
      assert.equal(bare.status, 401, path);
      assert.match((await bare.json()).error, /access token/);
      const wrong = await fetch(new URL(path, served.url), { headers: { authorization: "Bearer nope" } });
      assert.equal(wrong.status, 401, path);
      await wrong.body?.cancel();
    }
    const page = await fetch(served.url);
    assert.equal(page.status, 401);
    const html = await page.text();
    assert.match(html, /gitargus serve --open/);
    assert.ok(!html.includes("laptop"), "no data on the sign-in page");
  });

  await t.step("?token= becomes an HttpOnly cookie and the address loses the token", async () => {
    const first = await fetch(served.accessUrl, { redirect: "manual" });
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), "/");
    const cookie = first.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    await first.body?.cancel();
    const pair = cookie.split(";")[0]!;
    const api = await fetch(new URL("/api/hosts", served.url), { headers: { cookie: pair } });
    assert.equal(api.status, 200);
    await api.body?.cancel();
    const wrong = await fetch(new URL("/?token=guess", served.url), { redirect: "manual" });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
  });

  await t.step("a Host header that is not loopback is refused (DNS rebinding)", async () => {
    const answer = await rawRequest(served.url, [
      "GET /api/hosts HTTP/1.1",
      "Host: evil.example:80",
      `Authorization: Bearer ${served.token}`,
      "Connection: close",
    ]);
    assert.match(answer, /^HTTP\/1\.1 403/);
  });

  await t.step("no CORS: no preflight is answered and no response allows another origin", async () => {
    const preflight = await fetch(new URL("/api/actions/fetch", served.url), {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    assert.notEqual(preflight.status, 204);
    await preflight.body?.cancel();
    const api = await served.request("/api/hosts", { headers: { origin: "http://evil.example" } });
    assert.equal(api.headers.get("access-control-allow-origin"), null);
    await api.body?.cancel();
  });

  await t.step("actions need the token, a POST, a JSON body and this origin", async () => {
    const get = await served.request("/api/actions/fetch");
    assert.equal(get.status, 405);
    await get.body?.cancel();
    const anonymous = await fetch(new URL("/api/actions/fetch", served.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: "api" }),
    });
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const form = await served.request("/api/actions/fetch", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "repo=api",
    });
    assert.equal(form.status, 400);
    await form.body?.cancel();
    const foreign = await served.request("/api/actions/fetch", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: JSON.stringify({ repo: "api" }),
    });
    assert.equal(foreign.status, 400);
    assert.match((await foreign.json()).error, /another origin/);
    const unknown = await served.post("/api/actions/fetch", { repo: "nope" });
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).message, /nope is not configured on desktop/);
    const broken = await served.request("/api/actions/fetch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    assert.equal(broken.status, 400);
    await broken.body?.cancel();
  });

  await t.step("the event stream delivers a store change within 2 s", async () => {
    await using events = await served.events();
    const snapshot = await events.next((e) => e.event === "snapshot");
    const data = snapshot.data as {
      localHost: string;
      report: { hosts: unknown[] };
      cells: unknown[];
      missingHere: unknown[];
    };
    assert.equal(data.localHost, "desktop");
    // Both machines have every repository: nothing is missing on this one.
    assert.deepEqual(data.missingHere, []);
    assert.equal(data.report.hosts.length, 2);
    assert.equal(data.cells.length, 4);
    await Deno.writeTextFile(`${laptop.repoPath("web")}/draft.txt`, "unsaved\n");
    const from = events.received().length;
    await f.ok("laptop", ["run", "--once"]);
    const written = performance.now();
    const change = await events.next(
      (e) => {
        const d = e.data as { host?: string; repo?: string; status?: { clean: boolean } };
        return e.event === "repo" && d.host === "laptop" && d.repo === "web" && d.status?.clean === false;
      },
      5_000,
      from,
    );
    assert.ok(
      change.at - written < 2_000,
      `the change arrived ${Math.round(change.at - written)} ms after the write`,
    );
    const cell = (change.data as { cell: { attention: string[] } }).cell;
    assert.deepEqual(cell.attention, ["uncommitted"]);
    const activity = await events.next(
      (e) =>
        e.event === "activity" &&
        /web on laptop has uncommitted changes/.test((e.data as { text: string }).text),
      5_000,
      from,
    );
    assert.equal((activity.data as { host: string }).host, "laptop");

    // A reconnect with the last id gets what it missed, not a new snapshot.
    const lastId = events.received().at(-1)!.id!;
    await Deno.remove(`${laptop.repoPath("web")}/draft.txt`);
    await f.ok("laptop", ["run", "--once"]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await using again = await served.events(lastId);
    const first = await again.next((e) => e.event === "repo" || e.event === "snapshot");
    assert.equal(first.event, "repo");
    assert.equal((first.data as { repo: string }).repo, "web");
  });

  await t.step("fetch now fast-forwards this machine's clone the way a push event does", async () => {
    const sha = await laptop.commitFile("api", "feature.txt", "from the laptop\n", "laptop work");
    assert.equal((await f.gitPush("laptop", "api")).code, 0);
    const answer = await served.post("/api/actions/fetch", { repo: "api" });
    assert.equal(answer.status, 200);
    const outcome = await answer.json();
    assert.deepEqual(outcome, { ok: true, message: `fast-forwarded api to ${sha.slice(0, 7)}` });
    assert.equal(await desktop.head("api"), sha);
    const report = await served.json<
      { hosts: { hostname: string; repositories: { name: string; head: string }[] }[] }
    >(
      "/api/hosts",
    );
    const stored = report.hosts.find((h) => h.hostname === "desktop")!.repositories.find((r) =>
      r.name === "api"
    )!;
    assert.equal(stored.head, sha, "the new state is in the store");
  });

  await t.step("fetch now leaves a clone with local changes in the way untouched", async () => {
    const sha = await laptop.commitFile("web", "README.md", "laptop's readme\n", "laptop edits readme");
    assert.equal((await f.gitPush("laptop", "web")).code, 0);
    const before = await desktop.head("web");
    await Deno.writeTextFile(`${desktop.repoPath("web")}/README.md`, "my edit\n");
    const outcome = await (await served.post("/api/actions/fetch", { repo: "web" })).json();
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /not fast-forwarded: .*README\.md/);
    assert.equal(await desktop.head("web"), before);
    assert.notEqual(before, sha);
    assert.equal(await Deno.readTextFile(`${desktop.repoPath("web")}/README.md`), "my edit\n");
  });

  await t.step("silence is kept in this machine's file and announced", async () => {
    await using events = await served.events();
    await events.next((e) => e.event === "snapshot");
    const answer = await served.post("/api/actions/silence", { host: "laptop", repo: "web", silenced: true });
    assert.deepEqual(await answer.json(), { silenced: [{ host: "laptop", repo: "web" }] });
    await events.next((e) => e.event === "silenced");
    const file = JSON.parse(await Deno.readTextFile(`${desktop.home}/.gitargus/dashboard/silenced.json`));
    assert.deepEqual(file.silenced, [{ host: "laptop", repo: "web" }]);
    const bad = await served.post("/api/actions/silence", { host: "laptop", repo: "web", silenced: "yes" });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });

  await t.step("SIGTERM stops the server cleanly", async () => {
    assert.equal(await served.process.stop("SIGTERM"), 0);
  });
});
