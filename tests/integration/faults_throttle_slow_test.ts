/** The faults matrix (see faults_matrix_test.ts): throttling, then slow answers, from every service. */

import { faultCycle, faultyFleet } from "../helpers/faulty_fleet.ts";

Deno.test("throttling of every service is outlived and logged once; slow answers delay the daemon but are no outage", async () => {
  await using ff = await faultyFleet();
  await faultCycle(ff, "throttle", true);
  await faultCycle(ff, "slow", false);
});
