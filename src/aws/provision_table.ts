/**
 * The state table for `setup-aws`: made with its per-host index (src/store/table_schema.ts), or, when it
 * exists, checked and given the index if it was made before it. Its billing is never changed: that is a
 * decision for the table's owner.
 */

import type { DynamoDBClient, TableDescription } from "@aws-sdk/client-dynamodb";
import { GitargusError } from "../errors.ts";
import {
  addHostIndex,
  HOST_INDEX,
  hostIndexState,
  PROVISIONED_UNITS,
  STATE_KEYS,
  type TableBilling,
  tableBilling,
  tableDefinition,
  tableKeys,
} from "../store/table_schema.ts";
import { call, wrap } from "./aws_call.ts";
import type { Step } from "./provision.ts";

/** How long setup-aws waits for a new table to be usable. */
const TABLE_WAIT_SECONDS = 120;
/**
 * How long it waits for an index added to a table: DynamoDB builds it in the background from the items there,
 * which takes minutes on a large table, and `status` scans until it is done.
 */
const INDEX_WAIT_SECONDS = 30;
/** An endpoint that accepted the index but never lists it did not make it (some emulators). */
const UNLISTED_SECONDS = 5;

const BUILDING = `index "${HOST_INDEX}" is being built: status reads the whole table until it is ready`;

export async function ensureTable(
  client: DynamoDBClient,
  table: string,
  dryRun: boolean,
  billing: TableBilling,
): Promise<Step> {
  const step = { resource: "DynamoDB table", name: table };
  const existing = await describe(client, table);
  if (existing) return await checkTable(client, existing, step, dryRun);
  const detail = billing === "provisioned"
    ? `provisioned, ${PROVISIONED_UNITS} read and ${PROVISIONED_UNITS} write units, its index as much`
    : "on-demand";
  if (dryRun) return { ...step, action: "would create", detail };
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  await call(
    `Creating table "${table}"`,
    () => client.send(new CreateTableCommand({ TableName: table, ...tableDefinition(billing) })),
  );
  await waitFor(client, table, TABLE_WAIT_SECONDS, (t) => t?.TableStatus === "ACTIVE");
  return { ...step, action: "created", detail };
}

async function checkTable(
  client: DynamoDBClient,
  existing: TableDescription,
  step: { resource: string; name: string },
  dryRun: boolean,
): Promise<Step> {
  const table = step.name;
  const keys = tableKeys(existing);
  if (keys !== STATE_KEYS) {
    throw new GitargusError(
      `DynamoDB table "${table}" exists with another key schema (${keys || "unknown"}), probably the ` +
        `Python alpha's: set aws.dynamodb.table to a new name and run setup-aws again`,
    );
  }
  const billing = tableBilling(existing);
  const kept = billing === "on-demand" ? {} : { detail: "provisioned, left as it is" };
  const index = hostIndexState(existing);
  if (index === "wrong") {
    throw new GitargusError(
      `DynamoDB table "${table}" has an index "${HOST_INDEX}" of another shape: delete that index (or set ` +
        `aws.dynamodb.table to a new name) and run setup-aws again`,
    );
  }
  if (index === "active") return { ...step, action: "exists", ...kept };
  if (index === "building") {
    return {
      ...step,
      action: "exists",
      detail: BUILDING,
    };
  }
  const adding = `adding index "${HOST_INDEX}" (status reads per host once it is built)`;
  if (dryRun) return { ...step, action: "would update", detail: adding };
  const { UpdateTableCommand } = await import("@aws-sdk/client-dynamodb");
  // A refusal is said, not thrown: the table works without the index, and the rest of the setup goes on.
  try {
    await client.send(new UpdateTableCommand({ TableName: table, ...addHostIndex(billing) }));
  } catch (error) {
    const reason = wrap(`Adding index "${HOST_INDEX}"`, error).message;
    return { ...step, action: "exists", detail: `${reason}; status reads the whole table` };
  }
  const started = Date.now();
  const after = await waitFor(client, table, INDEX_WAIT_SECONDS, (t) => {
    const state = hostIndexState(t);
    return state === "active" || (state === "missing" && Date.now() - started > UNLISTED_SECONDS * 1000);
  });
  const state = hostIndexState(after);
  if (state === "missing") {
    return {
      ...step,
      action: "exists",
      detail: `this endpoint did not add index "${HOST_INDEX}": status reads the whole table`,
    };
  }
  return {
    ...step,
    action: "updated",
    detail: state === "active" ? `added index "${HOST_INDEX}"` : BUILDING,
  };
}

async function describe(client: DynamoDBClient, table: string): Promise<TableDescription | null> {
  const { DescribeTableCommand, ResourceNotFoundException } = await import("@aws-sdk/client-dynamodb");
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw wrap(`Describing table "${table}"`, error);
  }
}

/** Polls the table's description until `done` says so or the wait runs out; returns the last one read. */
async function waitFor(
  client: DynamoDBClient,
  table: string,
  seconds: number,
  done: (table: TableDescription | undefined) => boolean,
): Promise<TableDescription | undefined> {
  let last: TableDescription | undefined;
  for (let second = 0; second < seconds; second++) {
    last = (await describe(client, table)) ?? undefined;
    if (done(last)) break;
    await new Promise((resolve) => setTimeout(resolve, second === 0 ? 200 : 1000));
  }
  return last;
}
