/** Store records for tests that write or plant them directly, and the table they go in. */

import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { tableDefinition } from "../../src/store/table_schema.ts";

/** Complete, valid records unless overridden: the report tests' builders, shared. */
export { hostRecord, repo as repoStatus } from "../../src/report/_testing.ts";

/**
 * The table as setup-aws creates it: `hostname` and `key`, on demand, with the per-host index; without it
 * (`hostIndex: false`) as versions before the index made it.
 */
export async function createStateTable(
  client: DynamoDBClient,
  table: string,
  options: { hostIndex?: boolean } = {},
): Promise<void> {
  const { GlobalSecondaryIndexes, ...plain } = tableDefinition("on-demand");
  await client.send(
    new CreateTableCommand({
      TableName: table,
      ...plain,
      ...(options.hostIndex === false ? {} : { GlobalSecondaryIndexes }),
    }),
  );
}
