/**
 * `gitargus doctor` asks whether a daemon actually runs, not whether a unit file exists: through the real CLI
 * against the emulators, with no daemon, with one started by hand, and after it stopped.
 */

import assert from "node:assert/strict";
import { type Fleet, fleet } from "../helpers/fleet.ts";

interface Row {
  name: string;
  ok: boolean | "skip";
  status: "pass" | "fail" | "skip";
  detail: string;
  fix?: string;
}

async function doctor(
  f: Fleet,
): Promise<{ code: number; ok: boolean; status: string; row(name: string): Row }> {
  const result = await f.cli("a", ["doctor", "--json"]);
  const parsed = JSON.parse(result.stdout) as { ok: boolean; status: string; checks: Row[] };
  for (const check of parsed.checks) {
    assert.equal(check.status, check.ok === true ? "pass" : check.ok === false ? "fail" : "skip", check.name);
  }
  assert.equal(result.code, parsed.ok ? 0 : 1, result.stdout + result.stderr);
  assert.equal(parsed.ok, parsed.status !== "failing");
  const row = (name: string) => {
    const found = parsed.checks.find((c) => c.name === name);
    assert.ok(found, `no "${name}" row in ${result.stdout}`);
    return found;
  };
  return { code: result.code, ok: parsed.ok, status: parsed.status, row };
}

Deno.test("doctor fails the daemon row while none runs, and accepts a daemon run by hand without a service", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  await f.ok("a", ["hooks", "install"]);

  const before = await doctor(f);
  assert.equal(before.row("daemon").ok, false);
  assert.match(
    before.row("daemon").detail,
    /^no daemon runs with this config \(.*daemon-[0-9a-f]+\.lock is free\)$/,
  );
  assert.match(before.row("daemon").fix!, /gitargus run/);
  assert.equal(before.row("service").ok, false, "no unit and no daemon: the service row fails");
  assert.equal(before.status, "failing");

  const daemon = await f.start("a", ["run", "--no-hooks"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);
  const running = await doctor(f);
  const row = running.row("daemon");
  assert.equal(row.ok, true, row.detail);
  assert.match(
    row.detail,
    new RegExp(`^pid ${daemon.pid} \\("gitargus run", in the background, since .*\\) runs, `),
  );
  assert.match(row.detail, /last heartbeat from "a" \d+ s ago$/);
  assert.equal(running.row("service").ok, "skip");
  assert.match(
    running.row("service").detail,
    new RegExp(`^not installed; pid ${daemon.pid} .* runs the daemon instead$`),
  );
  assert.equal(running.code, 0, "every other row passes against the emulators");
  assert.equal(running.ok, true);

  assert.equal(await daemon.stop("SIGTERM"), 0);
  const after = await doctor(f);
  assert.equal(after.row("daemon").ok, false);
  assert.match(after.row("daemon").detail, /^no daemon runs with this config/);
  assert.equal(after.code, 1);
});
