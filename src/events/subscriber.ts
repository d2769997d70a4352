/** This machine's SQS FIFO queue: long-poll receive, delete once taken. */

import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { AwsError } from "../errors.ts";
import { isMissingResource } from "../aws/outage.ts";
import { LONG_POLL_SECONDS, RECEIVE_VISIBILITY_SECONDS } from "./queue_settings.ts";

// Re-exported so that loading this module on demand brings the client with it (src/lazy.ts).
export { SQSClient };

export interface QueueMessage {
  id: string;
  body: string;
  receiptHandle: string;
  /** When SQS accepted it (the queue's clock, not a machine's). */
  sentAt: Date | null;
}

export interface Subscriber {
  receive(signal: AbortSignal): Promise<QueueMessage[]>;
  delete(message: QueueMessage): Promise<void>;
}

/**
 * Resolves the queue's URL on first use, so a daemon started while AWS is unreachable keeps retrying, and
 * again after the queue was found missing: a queue created anew (`setup-aws` after a deletion or a reset) may
 * have a new URL.
 */
export class SqsSubscriber implements Subscriber {
  #url: string | null = null;

  constructor(private readonly client: SQSClient, readonly queueName: string) {}

  get queueUrl(): string {
    return this.#url ?? this.queueName;
  }

  async #resolve(): Promise<string> {
    if (this.#url) return this.#url;
    try {
      const { QueueUrl } = await this.client.send(new GetQueueUrlCommand({ QueueName: this.queueName }));
      if (!QueueUrl) throw new Error("no URL returned");
      return this.#url = QueueUrl;
    } catch (error) {
      throw new AwsError(`Finding SQS queue "${this.queueName}"`, error);
    }
  }

  async receive(signal: AbortSignal): Promise<QueueMessage[]> {
    const url = await this.#resolve();
    try {
      const output = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          WaitTimeSeconds: LONG_POLL_SECONDS,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
          MessageSystemAttributeNames: ["SentTimestamp"],
        }),
        { abortSignal: signal },
      );
      return (output.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [{
            id: m.MessageId,
            body: m.Body ?? "",
            receiptHandle: m.ReceiptHandle,
            sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)) : null,
          }]
          : []
      );
    } catch (error) {
      throw this.#failure(`Receiving from "${this.queueUrl}"`, error);
    }
  }

  async delete(message: QueueMessage): Promise<void> {
    try {
      await this.client.send(
        new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }),
      );
    } catch (error) {
      throw this.#failure(`Deleting message ${message.id} from "${this.queueUrl}"`, error);
    }
  }

  #failure(action: string, error: unknown): AwsError {
    if (isMissingResource(error)) this.#url = null;
    return new AwsError(action, error);
  }
}
