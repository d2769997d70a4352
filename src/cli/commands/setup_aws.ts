import type { GlobalOptions } from "../context.ts";
import { loadCliConfig } from "../context.ts";
import { clientSettings } from "../../aws/clients.ts";
import { withCallDeadlines } from "../../aws/deadline.ts";
import { type Billing, BILLING_MODES, provision } from "../../aws/provision.ts";
import { queueNameFor } from "../../aws/provision_queue.ts";
import { iamPolicy } from "../../aws/iam_policy.ts";
import { setConfigValues } from "../../config/edit.ts";
import * as out from "../output.ts";
import { UsageError } from "../../errors.ts";

/** SNS's rule for topic names, with the suffix a FIFO topic must have. */
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export async function setupAwsCommand(
  globals: GlobalOptions,
  options: { dryRun?: boolean; topicName: string; billing?: string },
): Promise<void> {
  const billing = options.billing ?? "on-demand";
  if (!(BILLING_MODES as readonly string[]).includes(billing)) {
    throw new UsageError(
      `--billing expects ${BILLING_MODES.map((m) => `"${m}"`).join(" or ")}, got ${JSON.stringify(billing)}`,
    );
  }
  // Checked before any AWS call: a name SNS refuses would fail only after the table was made.
  if (!FIFO_TOPIC_NAME.test(options.topicName)) {
    throw new UsageError(
      `--topic-name expects an SNS FIFO topic name (letters, digits, "-" and "_", ending in ".fifo", at most ` +
        `256 characters), got ${JSON.stringify(options.topicName)}`,
    );
  }
  const config = await loadCliConfig(globals);
  const [{ DynamoDBClient }, { SNSClient }, { SQSClient }] = await Promise.all([
    import("@aws-sdk/client-dynamodb"),
    import("@aws-sdk/client-sns"),
    import("@aws-sdk/client-sqs"),
  ]);
  const queueName = config.aws.sqs.queue ?? queueNameFor(config.hostname);
  const result = await provision({
    dynamodb: withCallDeadlines(new DynamoDBClient(clientSettings(config.aws, "dynamodb"))),
    sns: withCallDeadlines(new SNSClient(clientSettings(config.aws, "sns"))),
    sqs: withCallDeadlines(new SQSClient(clientSettings(config.aws, "sqs"))),
  }, {
    table: config.aws.dynamodb.table,
    topicName: options.topicName,
    ...(config.aws.sns.topic.arn ? { topicArn: config.aws.sns.topic.arn } : {}),
    queueName,
    dryRun: options.dryRun ?? false,
    billing: billing as Billing,
  });
  const paint = out.palette();
  out.line(out.table(
    ["RESOURCE", "NAME", "ACTION", "DETAIL"],
    result.steps.map((
      s,
    ) => [
      s.resource,
      s.name,
      s.action === "exists" ? paint.dim(s.action) : paint.green(s.action),
      s.detail ?? "",
    ]),
    paint,
  ));
  const wanted = [
    { path: ["aws", "dynamodb", "table"], value: config.aws.dynamodb.table, current: undefined },
    { path: ["aws", "sns", "topic", "arn"], value: result.topicArn, current: config.aws.sns.topic.arn },
    { path: ["aws", "sqs", "queue"], value: queueName, current: config.aws.sqs.queue },
  ].filter((v) => v.value !== v.current);
  const changed = result.steps.some((s) => s.action !== "exists");
  if (options.dryRun) {
    out.line(changed ? "Dry run: nothing was changed." : "Everything exists already: nothing to do.");
    return;
  }
  await setConfigValues(config.file, wanted.map(({ path, value }) => ({ path, value })));
  out.line(changed ? `Recorded the names in ${config.file}.` : "Everything exists already: nothing changed.");
  out.line("");
  out.line("Least-privilege IAM policy for this machine's daemon:");
  out.json(
    iamPolicy({ topicArn: result.topicArn, queueArn: result.queueArn, table: config.aws.dynamodb.table }),
  );
}
