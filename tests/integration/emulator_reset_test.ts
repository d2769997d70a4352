/**
 * An account or emulator reset under a running daemon: the emulators restart empty on the same ports. The
 * daemon names each missing resource once and recovers, without a restart, once `setup-aws` has run.
 */

import assert from "node:assert/strict";
import { faultyFleet, SERVICES } from "../helpers/faulty_fleet.ts";
import { MISSING, recoversAfterSetup } from "../helpers/setup_again.ts";

Deno.test("after the emulators restart empty on the same ports, the daemon recovers once setup-aws has run", async () => {
  await using ff = await faultyFleet();
  const from = ff.daemonA.lineCount();
  await ff.f.emulators.restart();
  await ff.changeOnA("after-reset");
  const pending = await ff.pushFromA("after-reset");
  assert.equal(pending.push.code, 0, pending.push.stderr);
  for (const service of SERVICES) {
    await ff.daemonA.waitForLine(MISSING[service], 30_000, { fromLine: from });
  }
  await recoversAfterSetup(ff, from);
  for (const service of SERVICES) assert.equal(ff.count(MISSING[service], from), 1, `${service} named once`);
});
