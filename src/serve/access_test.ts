import assert from "node:assert/strict";
import { checkAccess, checkAction, cookieName, newToken, previousToken, writeAccessFiles } from "./access.ts";

const TOKEN = newToken();
const RULES = { token: TOKEN, port: 8421, loopback: true };

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(`http://127.0.0.1:8421${path}`, {
    method,
    headers: { host: "127.0.0.1:8421", ...headers },
  });
}

Deno.test("newToken() gives 32 URL-safe characters, different each time", () => {
  assert.match(TOKEN, /^[\w-]{32}$/);
  assert.notEqual(newToken(), TOKEN);
});

Deno.test("checkAccess() takes the bearer header or this port's cookie, and nothing else", () => {
  assert.equal(checkAccess(get("/api/hosts", { authorization: `Bearer ${TOKEN}` }), RULES).ok, true);
  assert.equal(checkAccess(get("/", { cookie: `a=b; ${cookieName(8421)}=${TOKEN}` }), RULES).ok, true);
  assert.equal(checkAccess(get("/", { cookie: `${cookieName(8422)}=${TOKEN}` }), RULES).ok, false);
  assert.equal(checkAccess(get("/", { authorization: `Bearer ${TOKEN}x` }), RULES).ok, false);
  assert.equal(checkAccess(get("/", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }), RULES).ok, false);
  assert.equal(checkAccess(get("/"), RULES).ok, false);
});

Deno.test("checkAccess() trades ?token= for a cookie and a redirect to the address without it", () => {
  const verdict = checkAccess(get(`/?token=${TOKEN}&x=1`), RULES);
  assert.ok(verdict.ok);
  assert.equal(verdict.redirect, "/?x=1");
  assert.match(
    verdict.setCookie!,
    new RegExp(`^${cookieName(8421)}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict$`),
  );
  assert.equal(checkAccess(get("/?token=wrong"), RULES).ok, false);
  // Only a GET trades the token: a POST with it in the address is not let through on it.
  assert.equal(checkAccess(get(`/api/actions/fetch?token=${TOKEN}`, {}, "POST"), RULES).ok, false);
});

Deno.test("checkAccess() on loopback refuses a Host header that names another machine", () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  for (const host of ["localhost:8421", "127.0.0.1", "[::1]:8421"]) {
    assert.equal(checkAccess(get("/", { ...auth, host }), RULES).ok, true, host);
  }
  for (const host of ["evil.example", "127.0.0.1.evil.example:8421", "localhostx:8421", ""]) {
    const verdict = checkAccess(get("/", { ...auth, host }), RULES);
    assert.ok(!verdict.ok && verdict.status === 403, host);
  }
  assert.equal(
    checkAccess(get("/", { ...auth, host: "desk.lan:8421" }), { ...RULES, loopback: false }).ok,
    true,
  );
});

Deno.test("checkAction() wants a POST with JSON from this origin or from no browser at all", () => {
  const post = (headers: Record<string, string>) => get("/api/actions/fetch", headers, "POST");
  assert.equal(checkAction(post({ "content-type": "application/json" })), null);
  assert.equal(
    checkAction(post({ "content-type": "application/json", origin: "http://127.0.0.1:8421" })),
    null,
  );
  assert.match(checkAction(post({ "content-type": "text/plain" }))!, /JSON body/);
  assert.match(
    checkAction(post({ "content-type": "application/json", origin: "http://evil.example" }))!,
    /origin/,
  );
  assert.match(checkAction(post({ "content-type": "application/json", origin: "null" }))!, /origin/);
  assert.match(checkAction(get("/api/actions/fetch"))!, /POST/);
});

Deno.test("writeAccessFiles() writes user-only files that previousToken() reads back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = { url: `${dir}/d/8421.url`, page: `${dir}/d/8421.html` };
    await writeAccessFiles(files, `http://127.0.0.1:8421/?token=${TOKEN}`);
    assert.equal((await Deno.stat(files.url)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(files.page)).mode! & 0o777, 0o600);
    assert.match(
      await Deno.readTextFile(files.page),
      new RegExp(`url=http://127.0.0.1:8421/\\?token=${TOKEN}`),
    );
    assert.equal(await previousToken(files.url), TOKEN);
    await Deno.chmod(files.url, 0o644);
    assert.equal(await previousToken(files.url), null, "a token others could read is not reused");
    assert.equal(await previousToken(`${dir}/none.url`), null);
    await Deno.writeTextFile(files.url, "garbage", { mode: 0o600 });
    await Deno.chmod(files.url, 0o600);
    assert.equal(await previousToken(files.url), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
