/**
 * `setup-aws`: creates what is missing — the table, the FIFO topic, this machine's FIFO queue, its policy
 * and subscription — and changes nothing that is already right. Each step reports what it did (or, in a dry
 * run, what it would do).
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GitargusError } from "../errors.ts";
import { call, wrap } from "./aws_call.ts";
import { ensureQueue } from "./provision_queue.ts";
import { ensureTable } from "./provision_table.ts";

export type StepAction = "created" | "updated" | "exists" | "would create" | "would update";

export interface Step {
  resource: string;
  name: string;
  action: StepAction;
  detail?: string;
}

export interface ProvisionClients {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  sqs: SQSClient;
}

export interface ProvisionPlan {
  table: string;
  topicName: string;
  /** Configured topic ARN; when set, the topic must exist (it is another machine's or the original's). */
  topicArn?: string;
  queueName: string;
  dryRun: boolean;
  /** For a new table only: one that exists keeps its billing (changing it is a decision for its owner). */
  billing?: Billing;
}

export const BILLING_MODES = ["on-demand", "provisioned"] as const;
export type Billing = typeof BILLING_MODES[number];

export interface ProvisionResult {
  steps: Step[];
  topicArn: string;
  queueUrl: string | null;
  queueArn: string;
}

export async function provision(clients: ProvisionClients, plan: ProvisionPlan): Promise<ProvisionResult> {
  const steps: Step[] = [];
  steps.push(await ensureTable(clients.dynamodb, plan.table, plan.dryRun, plan.billing ?? "on-demand"));
  const topic = await ensureTopic(clients.sns, plan);
  steps.push(topic.step);
  const queue = await ensureQueue(clients.sqs, plan, topic.arn);
  steps.push(...queue.steps);
  steps.push(await ensureSubscription(clients.sns, topic.arn, queue.arn, plan.dryRun));
  return { steps, topicArn: topic.arn, queueUrl: queue.url, queueArn: queue.arn };
}

async function ensureTopic(client: SNSClient, plan: ProvisionPlan): Promise<{ arn: string; step: Step }> {
  const { CreateTopicCommand, GetTopicAttributesCommand, NotFoundException } = await import(
    "@aws-sdk/client-sns"
  );
  if (plan.topicArn) {
    const step = { resource: "SNS topic", name: plan.topicArn };
    try {
      await client.send(new GetTopicAttributesCommand({ TopicArn: plan.topicArn }));
      return { arn: plan.topicArn, step: { ...step, action: "exists" } };
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw wrap(`Reading topic "${plan.topicArn}"`, error);
    }
    // Deleted (an account reset, a cleanup): made again under its own name, it gets the same ARN, so every
    // machine's config stays right. One that would come back under another ARN (another account or region)
    // is not made: the machines would no longer share a topic.
    const name = plan.topicArn.split(":")[5] ?? "";
    if (plan.dryRun) return { arn: plan.topicArn, step: { ...step, action: "would create" } };
    const created = await createFifoTopic(client, CreateTopicCommand, name);
    if (created !== plan.topicArn) {
      throw new GitargusError(
        `The configured topic "${plan.topicArn}" does not exist, and this account and region would make it as "${created}": check aws.region and the credentials, or remove aws.sns.topic.arn on every machine to share the new one`,
      );
    }
    return { arn: created, step: { ...step, action: "created" } };
  }
  const step = { resource: "SNS topic", name: plan.topicName };
  const existing = await findTopic(client, plan.topicName);
  if (existing) return { arn: existing, step: { ...step, name: existing, action: "exists" } };
  if (plan.dryRun) return { arn: `(new topic ${plan.topicName})`, step: { ...step, action: "would create" } };
  const arn = await createFifoTopic(client, CreateTopicCommand, plan.topicName);
  return { arn, step: { ...step, name: arn, action: "created" } };
}

async function createFifoTopic(
  client: SNSClient,
  CreateTopicCommand: typeof import("@aws-sdk/client-sns").CreateTopicCommand,
  name: string,
): Promise<string> {
  const { TopicArn } = await call(`Creating topic "${name}"`, () =>
    client.send(
      new CreateTopicCommand({
        Name: name,
        Attributes: { FifoTopic: "true", ContentBasedDeduplication: "false" },
      }),
    ));
  if (!TopicArn) throw new GitargusError(`Creating topic "${name}" returned no ARN`);
  return TopicArn;
}

/** The ARN of this account's topic with that name in the client's region, if there is one. */
async function findTopic(client: SNSClient, name: string): Promise<string | null> {
  const { ListTopicsCommand } = await import("@aws-sdk/client-sns");
  let next: string | undefined;
  do {
    const page = await call("Listing topics", () => client.send(new ListTopicsCommand({ NextToken: next })));
    const found = page.Topics?.find((t) => t.TopicArn?.endsWith(`:${name}`));
    if (found?.TopicArn) return found.TopicArn;
    next = page.NextToken;
  } while (next);
  return null;
}

async function ensureSubscription(
  client: SNSClient,
  topicArn: string,
  queueArn: string,
  dryRun: boolean,
): Promise<Step> {
  const sns = await import("@aws-sdk/client-sns");
  const step = { resource: "SNS subscription", name: `${topicArn} -> ${queueArn}` };
  if (dryRun && (topicArn.startsWith("(") || queueArn.startsWith("("))) {
    return { ...step, action: "would create" };
  }
  let next: string | undefined;
  do {
    const page = await call(
      "Listing subscriptions",
      () => client.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next })),
    );
    for (const sub of page.Subscriptions ?? []) {
      if (sub.Protocol !== "sqs" || sub.Endpoint !== queueArn || !sub.SubscriptionArn) continue;
      const { Attributes = {} } = await call(
        "Reading subscription",
        () => client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })),
      );
      if (Attributes.RawMessageDelivery === "true") return { ...step, action: "exists" };
      if (!dryRun) {
        await call("Setting raw message delivery", () =>
          client.send(
            new sns.SetSubscriptionAttributesCommand({
              SubscriptionArn: sub.SubscriptionArn,
              AttributeName: "RawMessageDelivery",
              AttributeValue: "true",
            }),
          ));
      }
      return { ...step, action: dryRun ? "would update" : "updated", detail: "raw message delivery" };
    }
    next = page.NextToken;
  } while (next);
  if (dryRun) return { ...step, action: "would create" };
  await call("Subscribing the queue to the topic", () =>
    client.send(
      new sns.SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: "true" },
        ReturnSubscriptionArn: true,
      }),
    ));
  return { ...step, action: "created" };
}
