/** Publishing push events to the SNS FIFO topic. */

import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AwsError } from "../errors.ts";
import { deduplicationId, messageGroupId, type PushEvent } from "./push_event.ts";

// Re-exported so that loading this module on demand brings the client with it (src/lazy.ts).
export { SNSClient };

export interface Publisher {
  publish(event: PushEvent, signal?: AbortSignal): Promise<void>;
}

/**
 * Holds nothing to forget when the topic is deleted: an ARN is made of region, account and name, so the topic
 * `setup-aws` creates again has the same one, and the next publish simply succeeds.
 */
export class SnsPublisher implements Publisher {
  constructor(private readonly client: SNSClient, private readonly topicArn: string) {}

  async publish(event: PushEvent, signal?: AbortSignal): Promise<void> {
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      Message: JSON.stringify(event),
      MessageGroupId: await messageGroupId(event.repository),
      MessageDeduplicationId: deduplicationId(event),
    });
    try {
      await this.client.send(command, signal ? { abortSignal: signal } : {});
    } catch (error) {
      throw new AwsError(`Publishing the push of "${event.repository}" to "${this.topicArn}"`, error);
    }
  }
}
