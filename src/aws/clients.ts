/**
 * AWS client settings from the config: region, profile and endpoints. The SDK's own variables
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, AWS_REGION, AWS_PROFILE) win over the file, as they do over
 * the SDK's shared config; the file's keys serve emulators and LocalStack without touching the environment.
 */

import type { AwsConfig } from "../config/types.ts";
import { CALL_DEADLINE_MS } from "./deadline.ts";

export type AwsService = "dynamodb" | "sns" | "sqs";

export interface ClientSettings {
  region?: string;
  profile?: string;
  endpoint?: string;
  maxAttempts?: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
}

const ENV_ENDPOINT: Record<AwsService, string> = {
  dynamodb: "AWS_ENDPOINT_URL_DYNAMODB",
  sns: "AWS_ENDPOINT_URL_SNS",
  sqs: "AWS_ENDPOINT_URL_SQS",
};

export function endpointFor(
  aws: AwsConfig,
  service: AwsService,
  env: (name: string) => string | undefined,
): string | undefined {
  return env(ENV_ENDPOINT[service]) || env("AWS_ENDPOINT_URL") || aws[service].endpoint || aws.endpoint;
}

/**
 * Settings for one service. `requestTimeoutMs` must exceed any long-poll wait made with the client. Without
 * `throwOnRequestTimeout` the handler only logs a warning when it passes and the request goes on waiting.
 */
export function clientSettings(
  aws: AwsConfig,
  service: AwsService,
  options: { requestTimeoutMs?: number; maxAttempts?: number; env?: (name: string) => string | undefined } =
    {},
): ClientSettings {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const settings: ClientSettings = {
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? CALL_DEADLINE_MS,
      connectionTimeout: 3_000,
      throwOnRequestTimeout: true,
    },
  };
  const endpoint = endpointFor(aws, service, env);
  if (endpoint) settings.endpoint = endpoint;
  const region = env("AWS_REGION") || aws.region || env("AWS_DEFAULT_REGION") || regionFromTopic(aws) ||
    (endpoint ? "us-east-1" : undefined);
  if (region) settings.region = region;
  if (aws.profile && !env("AWS_PROFILE")) settings.profile = aws.profile;
  if (options.maxAttempts) settings.maxAttempts = options.maxAttempts;
  return settings;
}

/** The topic's ARN names its region: a config from before `aws.region` existed still finds it. */
function regionFromTopic(aws: AwsConfig): string | undefined {
  return aws.sns.topic.arn?.split(":")[3] || undefined;
}
