/** This machine's FIFO queue for `setup-aws`: attributes that fit the daemon, and a policy for the topic only. */

import type { SQSClient } from "@aws-sdk/client-sqs";
import { LONG_POLL_SECONDS, RETENTION_SECONDS, VISIBILITY_SECONDS } from "../events/queue_settings.ts";
import { call, wrap } from "./aws_call.ts";
import type { ProvisionPlan, Step } from "./provision.ts";

export const QUEUE_ATTRIBUTES: Record<string, string> = {
  DelaySeconds: "0",
  MessageRetentionPeriod: String(RETENTION_SECONDS),
  VisibilityTimeout: String(VISIBILITY_SECONDS),
  ReceiveMessageWaitTimeSeconds: String(LONG_POLL_SECONDS),
};

/** Queue names allow letters, digits, `-` and `_`, up to 80 characters with the `.fifo` suffix. */
export function queueNameFor(hostname: string): string {
  const base = hostname.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 75) || "gitargus";
  return `${base}.fifo`;
}

export async function ensureQueue(
  client: SQSClient,
  plan: ProvisionPlan,
  topicArn: string,
): Promise<{ url: string | null; arn: string; steps: Step[] }> {
  const sqs = await import("@aws-sdk/client-sqs");
  const step = { resource: "SQS queue", name: plan.queueName };
  let url: string | undefined;
  try {
    url = (await client.send(new sqs.GetQueueUrlCommand({ QueueName: plan.queueName }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof sqs.QueueDoesNotExist)) throw wrap(`Finding queue "${plan.queueName}"`, error);
  }
  if (!url) {
    if (plan.dryRun) {
      return {
        url: null,
        arn: `(new queue ${plan.queueName})`,
        steps: [{ ...step, action: "would create" }, {
          resource: "SQS queue policy",
          name: plan.queueName,
          action: "would create",
        }],
      };
    }
    const created = await call(`Creating queue "${plan.queueName}"`, () =>
      client.send(
        new sqs.CreateQueueCommand({
          QueueName: plan.queueName,
          Attributes: { FifoQueue: "true", ContentBasedDeduplication: "false", ...QUEUE_ATTRIBUTES },
        }),
      ));
    url = created.QueueUrl!;
    const arn = await queueArn(client, url);
    await setPolicy(client, url, arn, topicArn);
    return {
      url,
      arn,
      steps: [{ ...step, action: "created" }, {
        resource: "SQS queue policy",
        name: plan.queueName,
        action: "created",
      }],
    };
  }
  const { Attributes: read = {} } = await call(
    `Reading queue "${plan.queueName}"`,
    () => client.send(new sqs.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })),
  );
  const Attributes = read as Record<string, string | undefined>;
  const arn = Attributes.QueueArn!;
  const drift = Object.entries(QUEUE_ATTRIBUTES).filter(([name, value]) => Attributes[name] !== value);
  const steps: Step[] = [];
  if (drift.length === 0) steps.push({ ...step, action: "exists" });
  else {
    const detail = drift.map(([name, value]) => `${name} ${Attributes[name] ?? "unset"} -> ${value}`).join(
      ", ",
    );
    if (!plan.dryRun) {
      await call(
        `Updating queue "${plan.queueName}"`,
        () =>
          client.send(
            new sqs.SetQueueAttributesCommand({ QueueUrl: url, Attributes: Object.fromEntries(drift) }),
          ),
      );
    }
    steps.push({ ...step, action: plan.dryRun ? "would update" : "updated", detail });
  }
  const policyStep = { resource: "SQS queue policy", name: plan.queueName };
  if (samePolicy(Attributes.Policy, queuePolicy(arn, topicArn))) {
    steps.push({ ...policyStep, action: "exists" });
  } else {
    if (!plan.dryRun) await setPolicy(client, url, arn, topicArn);
    steps.push({
      ...policyStep,
      action: plan.dryRun ? "would update" : "updated",
      detail: "only the topic may send",
    });
  }
  return { url, arn, steps };
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const { GetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
  );
  return Attributes!.QueueArn!;
}

async function setPolicy(client: SQSClient, url: string, arn: string, topicArn: string): Promise<void> {
  const { SetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
  await call("Setting the queue policy", () =>
    client.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: JSON.stringify(queuePolicy(arn, topicArn)) },
      }),
    ));
}

/** Only the topic may send to this machine's queue. */
export function queuePolicy(queueArn: string, topicArn: string): unknown {
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "gitargus-topic-only",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
    }],
  };
}

function samePolicy(current: string | undefined, wanted: unknown): boolean {
  if (!current) return false;
  try {
    return JSON.stringify(JSON.parse(current)) === JSON.stringify(wanted);
  } catch {
    return false;
  }
}
