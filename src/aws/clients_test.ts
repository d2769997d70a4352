import assert from "node:assert/strict";
import type { AwsConfig } from "../config/types.ts";
import { clientSettings, endpointFor } from "./clients.ts";

const TOPIC_ARN = "arn:aws:sns:eu-west-3:123456789012:gitargus.fifo";

function aws(overrides: Partial<AwsConfig> = {}): AwsConfig {
  return { dynamodb: { table: "gitargus" }, sqs: {}, sns: { topic: {} }, ...overrides };
}

/** An environment holding exactly `vars`. */
function env(vars: Record<string, string> = {}): (name: string) => string | undefined {
  return (name) => vars[name];
}

Deno.test("endpointFor() prefers the service's own environment variable", () => {
  const config = aws({ endpoint: "http://file-all", sqs: { endpoint: "http://file-sqs" } });
  const vars = env({ AWS_ENDPOINT_URL_SQS: "http://env-sqs", AWS_ENDPOINT_URL: "http://env-all" });
  assert.equal(endpointFor(config, "sqs", vars), "http://env-sqs");
});

Deno.test("endpointFor() falls back to AWS_ENDPOINT_URL", () => {
  const config = aws({ endpoint: "http://file-all", sqs: { endpoint: "http://file-sqs" } });
  assert.equal(endpointFor(config, "sqs", env({ AWS_ENDPOINT_URL: "http://env-all" })), "http://env-all");
});

Deno.test("endpointFor() falls back to the service's endpoint in the file", () => {
  const config = aws({ endpoint: "http://file-all", sqs: { endpoint: "http://file-sqs" } });
  assert.equal(endpointFor(config, "sqs", env()), "http://file-sqs");
});

Deno.test("endpointFor() falls back to the file's endpoint for every service", () => {
  const config = aws({ endpoint: "http://file-all" });
  assert.equal(endpointFor(config, "sqs", env()), "http://file-all");
  assert.equal(endpointFor(config, "sns", env()), "http://file-all");
  assert.equal(endpointFor(config, "dynamodb", env()), "http://file-all");
});

Deno.test("endpointFor() is undefined when nothing sets an endpoint", () => {
  assert.equal(endpointFor(aws(), "sqs", env()), undefined);
});

Deno.test("endpointFor() reads the variable and the file key of the service asked for", () => {
  const config = aws({
    dynamodb: { table: "t", endpoint: "http://file-dynamodb" },
    sns: { topic: {}, endpoint: "http://file-sns" },
  });
  const vars = env({ AWS_ENDPOINT_URL_SNS: "http://env-sns", AWS_ENDPOINT_URL_SQS: "http://env-sqs" });
  assert.equal(endpointFor(config, "dynamodb", vars), "http://file-dynamodb");
  assert.equal(endpointFor(config, "sns", vars), "http://env-sns");
  assert.equal(endpointFor(config, "sqs", vars), "http://env-sqs");
  assert.equal(
    endpointFor(config, "dynamodb", env({ AWS_ENDPOINT_URL_DYNAMODB: "http://env-dynamodb" })),
    "http://env-dynamodb",
  );
});

Deno.test("endpointFor() treats an empty variable as unset", () => {
  const config = aws({ sqs: { endpoint: "http://file-sqs" } });
  assert.equal(
    endpointFor(config, "sqs", env({ AWS_ENDPOINT_URL_SQS: "", AWS_ENDPOINT_URL: "" })),
    "http://file-sqs",
  );
});

Deno.test("clientSettings() takes the region from AWS_REGION first", () => {
  const config = aws({ region: "eu-central-1", sns: { topic: { arn: TOPIC_ARN } } });
  const vars = env({ AWS_REGION: "ap-south-1", AWS_DEFAULT_REGION: "us-west-2" });
  assert.equal(clientSettings(config, "sqs", { env: vars }).region, "ap-south-1");
});

Deno.test("clientSettings() takes the region from the file before AWS_DEFAULT_REGION", () => {
  const config = aws({ region: "eu-central-1", sns: { topic: { arn: TOPIC_ARN } } });
  assert.equal(
    clientSettings(config, "sqs", { env: env({ AWS_DEFAULT_REGION: "us-west-2" }) }).region,
    "eu-central-1",
  );
});

Deno.test("clientSettings() takes the region from AWS_DEFAULT_REGION before the topic ARN", () => {
  const config = aws({ sns: { topic: { arn: TOPIC_ARN } } });
  assert.equal(
    clientSettings(config, "sqs", { env: env({ AWS_DEFAULT_REGION: "us-west-2" }) }).region,
    "us-west-2",
  );
});

Deno.test("clientSettings() takes the region from the topic ARN", () => {
  const config = aws({ sns: { topic: { arn: TOPIC_ARN } } });
  assert.equal(clientSettings(config, "dynamodb", { env: env() }).region, "eu-west-3");
});

Deno.test("clientSettings() ignores a topic ARN without a region", () => {
  for (const arn of ["arn:aws:sns", "not-an-arn", "arn:aws:sns::123456789012:t"]) {
    const settings = clientSettings(aws({ sns: { topic: { arn } } }), "sns", { env: env() });
    assert.equal("region" in settings, false, arn);
  }
});

Deno.test("clientSettings() defaults the region to us-east-1 when an endpoint is set", () => {
  assert.equal(
    clientSettings(aws({ endpoint: "http://localhost:4566" }), "sqs", { env: env() }).region,
    "us-east-1",
  );
  const vars = env({ AWS_ENDPOINT_URL: "http://localhost:4566" });
  assert.equal(clientSettings(aws(), "sqs", { env: vars }).region, "us-east-1");
});

Deno.test("clientSettings() leaves the region to the SDK without endpoint or any region setting", () => {
  const settings = clientSettings(aws(), "sqs", { env: env() });
  assert.equal("region" in settings, false);
  assert.equal("endpoint" in settings, false);
});

Deno.test("clientSettings() prefers a configured region to the emulator default", () => {
  const settings = clientSettings(aws({ endpoint: "http://localhost:4566", region: "eu-north-1" }), "sqs", {
    env: env(),
  });
  assert.equal(settings.region, "eu-north-1");
});

Deno.test("clientSettings() passes the endpoint of the service", () => {
  const config = aws({ endpoint: "http://all", sns: { topic: {}, endpoint: "http://sns" } });
  assert.equal(clientSettings(config, "sns", { env: env() }).endpoint, "http://sns");
  assert.equal(clientSettings(config, "sqs", { env: env() }).endpoint, "http://all");
});

Deno.test("clientSettings() passes the profile when AWS_PROFILE is unset", () => {
  assert.equal(clientSettings(aws({ profile: "work" }), "sqs", { env: env() }).profile, "work");
});

Deno.test("clientSettings() leaves the profile to AWS_PROFILE when it is set", () => {
  const settings = clientSettings(aws({ profile: "work" }), "sqs", { env: env({ AWS_PROFILE: "personal" }) });
  assert.equal("profile" in settings, false);
});

Deno.test("clientSettings() sets no profile when the file has none", () => {
  assert.equal("profile" in clientSettings(aws(), "sqs", { env: env() }), false);
});

Deno.test("clientSettings() passes the request timeout", () => {
  const settings = clientSettings(aws(), "sqs", { env: env(), requestTimeoutMs: 30_000 });
  assert.equal(settings.requestHandler.requestTimeout, 30_000);
  assert.equal(settings.requestHandler.connectionTimeout, 3_000);
});

Deno.test("clientSettings() defaults the request timeout to the call deadline and makes it end the request", () => {
  assert.deepEqual(clientSettings(aws(), "sqs", { env: env() }).requestHandler, {
    requestTimeout: 8_000,
    connectionTimeout: 3_000,
    throwOnRequestTimeout: true,
  });
});

Deno.test("clientSettings() passes maxAttempts only when given", () => {
  assert.equal(clientSettings(aws(), "sns", { env: env(), maxAttempts: 1 }).maxAttempts, 1);
  assert.equal("maxAttempts" in clientSettings(aws(), "sns", { env: env() }), false);
});

Deno.test("clientSettings() gives every setting at once", () => {
  const config = aws({ region: "eu-west-1", profile: "work", sqs: { endpoint: "http://localhost:9324" } });
  assert.deepEqual(clientSettings(config, "sqs", { env: env(), requestTimeoutMs: 30_000, maxAttempts: 2 }), {
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
    endpoint: "http://localhost:9324",
    region: "eu-west-1",
    profile: "work",
    maxAttempts: 2,
  });
});
