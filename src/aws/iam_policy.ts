import { HOST_INDEX } from "../store/table_schema.ts";

/** The least-privilege IAM policy for one machine's daemon, hook and doctor: exactly these resources. */

export function iamPolicy(input: { topicArn: string; queueArn: string; table: string }): unknown {
  const [, partition = "aws", , region = "*", account = "*"] = input.topicArn.split(":");
  const tableArn = `arn:${partition}:dynamodb:${region}:${account}:table/${input.table}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitargusState",
        Effect: "Allow",
        Action: [
          "dynamodb:DescribeTable",
          "dynamodb:PutItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:Scan",
        ],
        // `status` reads the hosts from the table's index (src/store/table_schema.ts).
        Resource: [tableArn, `${tableArn}/index/${HOST_INDEX}`],
      },
      {
        Sid: "GitargusPublish",
        Effect: "Allow",
        Action: [
          "sns:Publish",
          "sns:GetTopicAttributes",
          "sns:ListSubscriptionsByTopic",
          "sns:GetSubscriptionAttributes",
        ],
        // Subscriptions' ARNs extend the topic's: doctor reads this machine's to check raw delivery.
        Resource: [input.topicArn, `${input.topicArn}:*`],
      },
      {
        Sid: "GitargusReceive",
        Effect: "Allow",
        Action: [
          "sqs:GetQueueUrl",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
        ],
        Resource: input.queueArn,
      },
    ],
  };
}
