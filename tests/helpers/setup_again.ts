/** Resources gone under a running daemon: the lines naming them, and the user's way back with `setup-aws`. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import type { AwsService } from "../../src/aws/clients.ts";
import { waitFor } from "./cli.ts";
import { type FaultyFleet, OUTAGE_END, SERVICES } from "./faulty_fleet.ts";

/** The one line per service that names the missing resource and the fix. */
export const MISSING: Record<AwsService, RegExp> = {
  dynamodb: /DynamoDB .*table "gitargus".*ResourceNotFoundException.*run `gitargus setup-aws`/,
  sns: /Publishing the push of "from-a".*NotFound.*run `gitargus setup-aws`/,
  sqs: /a\.fifo.*(QueueDoesNotExist|NonExistentQueue).*run `gitargus setup-aws`/,
};

/**
 * The user's way back, as the messages lead: `setup-aws` on every machine. A deleted topic is made again
 * under its recorded name, so it gets the same ARN and no config changes. Then a receives, the outbox
 * publishes, and the store holds a's states again, all without a restart.
 */
export async function recoversAfterSetup(ff: FaultyFleet, from: number): Promise<void> {
  const file = join(ff.f.machine("b").home, ".gitargus", "config.yml");
  const before = await Deno.readTextFile(file);
  for (const machine of ["b", "c", "a"]) await ff.f.ok(machine, ["setup-aws"]);
  assert.deepEqual(
    (parse(await Deno.readTextFile(file)) as { aws: unknown }).aws,
    (parse(before) as { aws: unknown }).aws,
    "the recorded topic stays",
  );
  await ff.daemonA.waitForLine(/Published the push of from-a from the outbox/, 15_000, { fromLine: from });
  // Every repository, not only the one that changed: the new table started empty.
  const all = ["from-a", "from-c", "local", "to-a"].join();
  await waitFor(
    "a's states in the new table",
    async () => (await ff.storedRepositories()).join() === all,
    15_000,
  );
  const incoming = await ff.pushToA("after-setup");
  await waitFor(
    "a at b's push after setup-aws",
    async () => (await ff.headOf("a", "to-a")) === incoming,
    15_000,
  );
  for (const service of SERVICES) {
    await ff.daemonA.waitForLine(OUTAGE_END[service], 15_000, { fromLine: from });
  }
}
