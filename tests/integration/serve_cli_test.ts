/**
 * `gitargus serve` at its edges through the real CLI: bad options, a busy port, an address it may not bind,
 * `--open` through the desktop's opener, the token kept across restarts, and a store it cannot read.
 */

import assert from "node:assert/strict";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { denoEnv, runCli, startCli } from "../helpers/cli.ts";
import { unusedLoopbackUrl } from "../helpers/emulators.ts";

const OPTIONS = { sanitizeOps: false, sanitizeResources: false };

async function machine() {
  const ws = await gitWorkspace({ machines: ["desk"], repositories: ["api"] });
  const desk = ws.machine("desk");
  // An endpoint nothing listens on: the store cannot be read, and serve must still start and say so.
  await desk.writeConfig({ aws: { endpoint: await unusedLoopbackUrl(), dynamodb: { table: "gitargus" } } });
  const env = {
    ...desk.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  };
  return { ws, desk, env };
}

Deno.test("serve refuses bad options in one line with exit 2", OPTIONS, async () => {
  const { ws, env } = await machine();
  await using _ws = ws;
  for (
    const [args, message] of [
      [["--port", "abc"], /--port must be a whole number from 0 to 65535 \(0: any free port\), got "abc"/],
      [["--port", "70000"], /got "70000"/],
      [["--port", "-1"], /got "-1"/],
      [["--host", "a b"], /--host must be an address or host name to listen on, got "a b"/],
      [["--host", "192.0.2.10"], /Cannot listen on 192\.0\.2\.10: this program listens on loopback/],
    ] as const
  ) {
    const result = await runCli(["serve", ...args], { env });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});

Deno.test(
  "serve on a busy port says so; --open hands the browser a user-only page, never the token",
  OPTIONS,
  async () => {
    const { ws, desk, env } = await machine();
    await using _ws = ws;
    const bin = await Deno.makeTempDir();
    const opened = `${bin}/opened`;
    await Deno.writeTextFile(`${bin}/xdg-open`, `#!/bin/sh\nprintf '%s\\n' "$@" > "${opened}"\n`, {
      mode: 0o755,
    });
    const path = `${bin}:${(await denoEnv()).PATH}`;
    await using served = await startCli(["serve", "--port", "0", "--open"], { env: { ...env, PATH: path } });
    const line = await served.waitForLine(/dashboard on http:\/\/127\.0\.0\.1:\d+\//, 30_000);
    const port = /:(\d+)\//.exec(line)![1]!;
    await served.waitForLine(/cannot read the store/i, 30_000);
    const arg = await (async () => {
      for (let i = 0; i < 100; i++) {
        const text = await Deno.readTextFile(opened).catch(() => "");
        if (text) return text.trim();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("xdg-open was not run");
    })();
    const page = `${desk.home}/.gitargus/dashboard/${port}.html`;
    assert.equal(arg, `file://${page}`);
    const url = (await Deno.readTextFile(`${desk.home}/.gitargus/dashboard/${port}.url`)).trim();
    const token = new URL(url).searchParams.get("token")!;
    assert.ok((await Deno.readTextFile(page)).includes(token));
    assert.equal((await Deno.stat(page)).mode! & 0o777, 0o600);
    assert.ok(!served.output().includes(token));

    const busy = await runCli(["serve", "--port", port], { env });
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));

    // The page says the store cannot be read rather than failing.
    const events = await fetch(`http://127.0.0.1:${port}/api/hosts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(events.status, 503);
    assert.match((await events.json()).error, /^cannot read the store: /);
    assert.equal(await served.stop("SIGINT"), 0);
    await Deno.remove(bin, { recursive: true });
  },
);

Deno.test(
  "serve keeps its token across restarts on one port, and not when others could read the file",
  OPTIONS,
  async () => {
    const { ws, desk, env } = await machine();
    await using _ws = ws;
    const port = String(new URL(await unusedLoopbackUrl()).port);
    const file = `${desk.home}/.gitargus/dashboard/${port}.url`;
    const tokenOnce = async () => {
      await using served = await startCli(["serve", "--port", port], { env });
      await served.waitForLine(/dashboard on/, 30_000);
      const token = new URL((await Deno.readTextFile(file)).trim()).searchParams.get("token")!;
      assert.equal(await served.stop("SIGTERM"), 0);
      return token;
    };
    const first = await tokenOnce();
    assert.equal(await tokenOnce(), first);
    await Deno.chmod(file, 0o644);
    assert.notEqual(await tokenOnce(), first);
  },
);
