/**
 * After an outage of any length the daemon is back within seconds: retries back off to 5 s at most, and the
 * first call that succeeds writes and publishes everything that waited. The outage here outlasts the receive
 * backoff the daemon used to have (doubling to 30 s), and the heartbeat is a minute, so neither hides a late
 * recovery.
 */

import assert from "node:assert/strict";
import {
  faultyFleet,
  holdFault,
  HOOK_BOUND_MS,
  msUntil,
  OUTAGE_END,
  OUTAGE_START,
  SERVICES,
} from "../helpers/faulty_fleet.ts";

const OUTAGE_MS = 32_000;
const RECOVERY_BOUND_MS = 10_000;

Deno.test("after DynamoDB, SNS and SQS were down for 32 s, store, queue and outbox catch up within 10 s, each outage logged once", async () => {
  await using ff = await faultyFleet({ heartbeatSeconds: 60 });
  const from = ff.daemonA.lineCount();

  await ff.setAll("down");
  const incoming = await ff.pushToA("during-outage");
  const untracked = await ff.changeOnA("during-outage");
  const outgoing = await ff.pushFromA("during-outage");
  assert.equal(outgoing.push.code, 0, outgoing.push.stderr);
  assert.ok(outgoing.push.ms < HOOK_BOUND_MS, `a's push took ${Math.round(outgoing.push.ms)} ms`);
  for (const service of SERVICES) {
    await ff.daemonA.waitForLine(OUTAGE_START[service], 30_000, { fromLine: from });
  }
  await holdFault(OUTAGE_MS);

  await ff.setAll("pass");
  const back = performance.now();
  const [queue, store, outbox] = await Promise.all([
    msUntil("a at b's push", back, async () => (await ff.headOf("a", "to-a")) === incoming, 20_000),
    msUntil("a's change in the store", back, async () => (await ff.storedUntracked()) === untracked, 20_000),
    msUntil("b at a's push", back, async () => (await ff.headOf("b", "from-a")) === outgoing.sha, 20_000),
  ]);
  console.log(
    `recovery after ${OUTAGE_MS / 1000} s down: store ${(store / 1000).toFixed(1)} s, ` +
      `queue ${(queue / 1000).toFixed(1)} s, outbox ${(outbox / 1000).toFixed(1)} s`,
  );
  for (const [what, ms] of Object.entries({ store, queue, outbox })) {
    assert.ok(ms < RECOVERY_BOUND_MS, `${what} caught up ${Math.round(ms)} ms after the services returned`);
  }
  for (const service of SERVICES) {
    await ff.daemonA.waitForLine(OUTAGE_END[service], 10_000, { fromLine: from });
    assert.equal(ff.count(OUTAGE_START[service], from), 1, `${service} outage start logged once`);
    assert.equal(ff.count(OUTAGE_END[service], from), 1, `${service} outage end logged once`);
  }
  assert.equal(ff.count(/Cannot (receive|write|publish)/, from), 0, "no line per failed retry");
});
