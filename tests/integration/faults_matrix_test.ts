/**
 * The faults matrix, through the fault proxy in front of the real emulators: DynamoDB, SNS and SQS each
 * refusing connections and answering 500 (here), throttling and answering slowly
 * (faults_throttle_slow_test.ts), and holding connections half-open (faults_half_open_test.ts). The daemon
 * stays up, logs each outage once, and catches up after; `git push` never waits longer than the hook's bound.
 */

import { faultCycle, faultyFleet } from "../helpers/faulty_fleet.ts";

Deno.test("refused connections and 500 answers from every service are outlived, each outage logged once", async () => {
  await using ff = await faultyFleet();
  await faultCycle(ff, "down", true);
  await faultCycle(ff, "error", true);
});
