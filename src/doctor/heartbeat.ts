/** Reads this host's record from the table: the heartbeat the daemon check compares with now. */

import type { Config } from "../config/types.ts";
import { clientSettings } from "../aws/clients.ts";
import { AwsError } from "../errors.ts";
import { HOST_KEY } from "../store/store.ts";
import { decodeHostRecord } from "../store/record_schema.ts";
import type { AwsOutcome } from "./aws_access.ts";
import type { HeartbeatFact } from "./daemon_check.ts";

/** Skipped (as unreadable) once the other AWS checks found AWS unreachable or the credentials unusable. */
export async function readHeartbeat(
  config: Config,
  outcome: AwsOutcome,
  timeoutMs: number,
): Promise<HeartbeatFact> {
  if (outcome.problem) return { kind: "unreadable", reason: `AWS unreachable: ${outcome.problem.message}` };
  const settings = clientSettings(config.aws, "dynamodb", { requestTimeoutMs: timeoutMs, maxAttempts: 1 });
  if (!settings.region) return { kind: "unreadable", reason: "no AWS region is set" };
  const ddb = await import("@aws-sdk/client-dynamodb");
  const client = new ddb.DynamoDBClient(settings);
  try {
    const { Item } = await client.send(
      new ddb.GetItemCommand({
        TableName: config.aws.dynamodb.table,
        Key: { hostname: { S: config.hostname }, key: { S: HOST_KEY } },
        ConsistentRead: true,
      }),
    );
    if (!Item) return { kind: "none" };
    const decoded = decodeHostRecord(config.hostname, Item.data?.S);
    return decoded.ok
      ? { kind: "found", record: decoded.value }
      : { kind: "unreadable", reason: `the host record is damaged: ${decoded.reason}` };
  } catch (error) {
    return { kind: "unreadable", reason: new AwsError("Reading the host record", error).message };
  } finally {
    client.destroy();
  }
}
