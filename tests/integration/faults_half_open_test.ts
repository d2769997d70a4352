/**
 * Half-open connections: DynamoDB, SNS and SQS accept and read every request and never answer nor close, as
 * when the peer vanished without a reset. Every call ends by its deadline (a long poll by its wait plus a
 * margin), the outage is logged once per service, the hook's push stays within its bound, and once the
 * network is back the next real push is applied.
 */

import { faultCycle, faultyFleet } from "../helpers/faulty_fleet.ts";
import { LONG_POLL_SECONDS } from "../../src/events/queue_settings.ts";
import { LONG_POLL_MARGIN_MS } from "../../src/aws/deadline.ts";

Deno.test("half-open connections to every service end by their deadlines and the daemon comes back", async () => {
  await using ff = await faultyFleet();
  const longPollDeadline = LONG_POLL_SECONDS * 1000 + LONG_POLL_MARGIN_MS;
  await faultCycle(ff, "halfOpen", true, { noticeMs: longPollDeadline + 5_000, recoverMs: 20_000 });
});
