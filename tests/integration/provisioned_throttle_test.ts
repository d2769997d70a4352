/**
 * A table made with `setup-aws --billing provisioned`, throttled the way a small one is: the daemon's first
 * start writes more items than the table takes a second, and a burst of changes follows. Every state reaches
 * the store, retried with backoff; none is lost.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DescribeTableCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { awsClients } from "../helpers/emulators.ts";
import { fleet } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";
import { capacityProxy } from "../helpers/capacity_proxy.ts";

const REPOSITORIES = Array.from({ length: 24 }, (_, i) => `repo${String(i).padStart(2, "0")}`);

Deno.test("throttled writes to a small provisioned table are retried until every state is stored", async () => {
  await using f = await fleet({ machines: ["a"], repositories: REPOSITORIES });
  await f.ok("a", ["setup-aws", "--billing", "provisioned"]);
  using aws = awsClients(f.emulators);
  const { Table } = await aws.dynamodb.send(new DescribeTableCommand({ TableName: "gitargus" }));
  assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 5);

  // Two units a second: the first start's 24 repository writes and the heartbeat queue for many seconds,
  // so the SDK's own retries run out and the daemon's retries have to finish the job.
  await using proxy = capacityProxy(f.emulators.dynamodb, 2);
  // Verbose: when a state does not arrive, the log shows each git read and each store call that ran.
  const daemon = await f.start("a", ["--verbose", "run", "--no-hooks"], {
    env: { AWS_ENDPOINT_URL_DYNAMODB: proxy.url },
  });
  await daemon.waitForLine(new RegExp(`Watching ${REPOSITORIES.length} repositories`), 60_000);

  const stored = async () => {
    const { Items = [] } = await aws.dynamodb.send(
      new QueryCommand({
        TableName: "gitargus",
        KeyConditionExpression: "hostname = :h",
        ExpressionAttributeValues: { ":h": { S: "a" } },
        ConsistentRead: true,
      }),
    );
    return new Map(Items.map((item) => [item.key?.S ?? "", JSON.parse(item.data?.S ?? "{}")]));
  };
  await waitFor(
    "every repository in the store",
    async () => {
      const items = await stored();
      return REPOSITORIES.every((name) => items.has(`REPO#${name}`)) && items.has("HOST");
    },
    90_000,
    500,
  );
  assert.ok(proxy.stats().throttled > 0, "the table was throttled");

  // A burst: eight repositories change at once; every new state lands.
  const changed = REPOSITORIES.slice(0, 8);
  for (const name of changed) {
    await Deno.writeTextFile(join(f.machine("a").repoPath(name), "burst.txt"), "new\n");
  }
  await waitFor(
    "every changed repository stored with its untracked file",
    async () => {
      const items = await stored();
      return changed.every((name) => items.get(`REPO#${name}`)?.changes?.untracked === 1);
    },
    90_000,
    500,
  );
});
