/**
 * The state table's shape, in one place for `setup-aws`, `doctor`, the store and the tests: keys `hostname`
 * (hash) and `key` (range), and a keys-only global secondary index on `key` (hash) and `hostname` (range).
 * The index's `HOST` partition lists every host: DynamoDB indexes every item by itself, those of earlier
 * versions included, so `status` reads the hosts with one Query and then each host's partition, never the
 * whole table. A rewrite of an existing item changes neither of its keys, so the index is written only when
 * an item is created or deleted, not on every state stored.
 */

import type {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  KeySchemaElement,
  ProvisionedThroughput,
  TableDescription,
} from "@aws-sdk/client-dynamodb";

export const HOST_INDEX = "hosts";

export const KEY_SCHEMA: KeySchemaElement[] = [
  { AttributeName: "hostname", KeyType: "HASH" },
  { AttributeName: "key", KeyType: "RANGE" },
];

const ATTRIBUTES: AttributeDefinition[] = [
  { AttributeName: "hostname", AttributeType: "S" },
  { AttributeName: "key", AttributeType: "S" },
];

/**
 * A provisioned table's capacity, and its index's: 10 of the 25 read and 25 write units AWS's always-free
 * tier gives an account, so other tables fit beside it. 5 writes a second carries heartbeats and everyday
 * writes of many machines; a burst (a first start writing every repository) is absorbed by DynamoDB's burst
 * credit and otherwise throttled, which the writers retry. The index takes a write per item created, so it
 * gets as many write units as the table: a throttled index would throttle the table's first writes too.
 */
export const PROVISIONED_UNITS = 5;

export type TableBilling = "on-demand" | "provisioned";

const THROUGHPUT: ProvisionedThroughput = {
  ReadCapacityUnits: PROVISIONED_UNITS,
  WriteCapacityUnits: PROVISIONED_UNITS,
};

export function hostIndex(billing: TableBilling): GlobalSecondaryIndex {
  return {
    IndexName: HOST_INDEX,
    KeySchema: [{ AttributeName: "key", KeyType: "HASH" }, { AttributeName: "hostname", KeyType: "RANGE" }],
    Projection: { ProjectionType: "KEYS_ONLY" },
    ...(billing === "provisioned" ? { ProvisionedThroughput: THROUGHPUT } : {}),
  };
}

/** Everything CreateTable needs besides the name. */
export function tableDefinition(billing: TableBilling): {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  GlobalSecondaryIndexes: GlobalSecondaryIndex[];
  BillingMode: BillingMode;
  ProvisionedThroughput?: ProvisionedThroughput;
} {
  return {
    AttributeDefinitions: ATTRIBUTES,
    KeySchema: KEY_SCHEMA,
    GlobalSecondaryIndexes: [hostIndex(billing)],
    ...(billing === "provisioned"
      ? { BillingMode: "PROVISIONED", ProvisionedThroughput: THROUGHPUT }
      : { BillingMode: "PAY_PER_REQUEST" }),
  };
}

/** What UpdateTable needs to add the index to a table made before it. */
export function addHostIndex(billing: TableBilling): {
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexUpdates: [{ Create: GlobalSecondaryIndex }];
} {
  return { AttributeDefinitions: ATTRIBUTES, GlobalSecondaryIndexUpdates: [{ Create: hostIndex(billing) }] };
}

/** The table's keys as "hostname HASH, key RANGE", in a fixed order; empty when none are described. */
export function tableKeys(table: TableDescription | undefined): string {
  return (table?.KeySchema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).sort().join(", ");
}

export const STATE_KEYS = "hostname HASH, key RANGE";

export type HostIndexState = "active" | "building" | "missing" | "wrong";

/** Whether the described table has the index, ready to read; one of another shape under its name is "wrong". */
export function hostIndexState(table: TableDescription | undefined): HostIndexState {
  const index = table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === HOST_INDEX);
  if (!index) return "missing";
  const keys = (index.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  if (keys !== "key:HASH,hostname:RANGE") return "wrong";
  return index.IndexStatus === "ACTIVE" || index.IndexStatus === undefined ? "active" : "building";
}

export function tableBilling(table: TableDescription | undefined): TableBilling {
  return table?.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" ||
      !table?.ProvisionedThroughput?.ReadCapacityUnits
    ? "on-demand"
    : "provisioned";
}
