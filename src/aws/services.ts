/**
 * Builds the store, publisher and subscriber for a config. Heavy SDK modules load only when used. Every
 * client ends each call by a deadline (src/aws/deadline.ts), so no call can hang a loop or a push.
 */

import type { Config } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import { clientSettings } from "./clients.ts";
import { LONG_POLL_MARGIN_MS, withCallDeadlines } from "./deadline.ts";
import type { Store } from "../store/store.ts";
import type { Publisher } from "../events/publisher.ts";
import type { Subscriber } from "../events/subscriber.ts";
import { LONG_POLL_SECONDS } from "../events/queue_settings.ts";
import { lazy } from "../lazy.ts";

export async function createStore(config: Config): Promise<Store> {
  const { DynamoDBClient, DynamoStore } = await lazy<typeof import("../store/dynamo_store.ts")>(
    "dynamoStore",
  );
  const client = new DynamoDBClient(clientSettings(config.aws, "dynamodb"));
  // The SDK's logger step copies every response through its redaction filter even for its no-op logger: a
  // third of reading 10,000 items. Nothing here logs through it.
  client.middlewareStack.remove("loggerMiddleware");
  return new DynamoStore(withCallDeadlines(client), config.aws.dynamodb.table);
}

/** The hook's publisher: one quick attempt per call, bounded by the caller's deadline. */
export async function createPublisher(
  config: Config,
  options: { maxAttempts?: number } = {},
): Promise<Publisher> {
  const arn = required(config, config.aws.sns.topic.arn, "no SNS topic", "aws.sns.topic.arn");
  const { SNSClient, SnsPublisher } = await lazy<typeof import("../events/publisher.ts")>("snsPublisher");
  const settings = clientSettings(config.aws, "sns", {
    requestTimeoutMs: 5_000,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  return new SnsPublisher(withCallDeadlines(new SNSClient(settings)), arn);
}

export async function createSubscriber(config: Config): Promise<Subscriber> {
  const queue = required(config, config.aws.sqs.queue, "no SQS queue", "aws.sqs.queue");
  const { SQSClient, SqsSubscriber } = await lazy<typeof import("../events/subscriber.ts")>("sqsSubscriber");
  // The request timeout must outlast the long poll, or every empty poll would end as an error.
  const settings = clientSettings(config.aws, "sqs", {
    requestTimeoutMs: LONG_POLL_SECONDS * 1000 + LONG_POLL_MARGIN_MS,
  });
  return new SqsSubscriber(withCallDeadlines(new SQSClient(settings)), queue);
}

/** A setting `setup-aws` records; without it the feature cannot start, and the message says how to fix it. */
function required(config: Config, value: string | undefined, what: string, keyPath: string): string {
  if (!value) {
    throw new ConfigError(config.file, `${what} is configured: run \`gitargus setup-aws\``, keyPath);
  }
  return value;
}
