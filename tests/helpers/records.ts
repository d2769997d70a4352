/** Store records for tests that write or plant them directly, and the table they go in. */

import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Complete, valid records unless overridden: the report tests' builders, shared. */
export { hostRecord, repo as repoStatus } from "../../src/report/_testing.ts";

/** The table as setup-aws creates it: `hostname` and `key`, on demand. */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: "hostname", AttributeType: "S" },
        { AttributeName: "key", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "hostname", KeyType: "HASH" }, { AttributeName: "key", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
