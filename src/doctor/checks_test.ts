import assert from "node:assert/strict";
import {
  CHECK,
  clockCheck,
  dynamodbUrl,
  gitCheck,
  hooksCheck,
  parseGitVersion,
  queuePolicyCheck,
  queueSettingsCheck,
  serviceCheck,
  subscriptionCheck,
  tableCheck,
  versionAtLeast,
} from "./checks.ts";
import {
  AwsGate,
  classifyAwsError,
  type CredentialFacts,
  credentialsCheck,
  credentialSource,
  sharedFilePaths,
} from "./aws_access.ts";
import { QUEUE_ATTRIBUTES, queuePolicy } from "../aws/provision_queue.ts";

Deno.test("parseGitVersion() reads release, Apple and Windows version lines", () => {
  assert.deepEqual(parseGitVersion("git version 2.39.3 (Apple Git-145)\n"), [2, 39, 3]);
  assert.deepEqual(parseGitVersion("git version 2.45.1.windows.1"), [2, 45, 1]);
  assert.deepEqual(parseGitVersion("git version 2.35"), [2, 35, 0]);
  assert.equal(parseGitVersion("command not found"), null);
});

Deno.test("versionAtLeast() compares part by part, not as text", () => {
  assert.equal(versionAtLeast([2, 35, 0], [2, 35]), true);
  assert.equal(versionAtLeast([2, 100, 0], [2, 35]), true);
  assert.equal(versionAtLeast([3, 0, 0], [2, 35]), true);
  assert.equal(versionAtLeast([2, 34, 9], [2, 35]), false);
  assert.equal(versionAtLeast([1, 99], [2, 35]), false);
});

Deno.test("gitCheck() fails below 2.35 with the fix to upgrade", () => {
  assert.equal(gitCheck("git version 2.35.0\n").ok, true);
  const old = gitCheck("git version 2.34.1\n");
  assert.equal(old.ok, false);
  assert.match(old.detail, /2\.34\.1 is older than 2\.35/);
  assert.equal(old.fix, "upgrade git");
  assert.equal(gitCheck("").ok, false);
});

function facts(vars: Record<string, string>, files: Partial<CredentialFacts> = {}): CredentialFacts {
  return { env: (name) => vars[name], credentialsFile: null, configFile: null, ...files };
}

const KEYS = { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "secret" };

Deno.test("credentialSource() follows the SDK's chain: a named profile, then keys, then the default profile", () => {
  assert.deepEqual(credentialSource(facts(KEYS)), { source: "environment (AWS_ACCESS_KEY_ID)", found: true });
  const work = { configFile: "[default]\nregion = x\n[profile work]\nregion = y\n" };
  assert.deepEqual(credentialSource(facts({ ...KEYS, AWS_PROFILE: "work" }, work)), {
    source: 'profile "work" in ~/.aws',
    found: true,
  });
  assert.equal(
    credentialSource(facts({}, { configProfile: "ci", credentialsFile: "[ci]\naws_access_key_id=x\n" }))
      .source,
    'profile "ci" in ~/.aws',
  );
  assert.equal(credentialSource(facts({}, work)).source, "default profile in ~/.aws");
  assert.equal(credentialSource(facts({}, { credentialsFile: "[default]\n" })).found, true);
});

Deno.test("credentialSource() says when the named profile is in neither file", () => {
  const source = credentialSource(facts({ AWS_PROFILE: "gone" }, { configFile: "[sso-session gone]\n" }));
  assert.equal(source.found, false);
  assert.match(source.source, /profile "gone", which is not in/);
});

Deno.test("credentialSource() finds web identity, then container credentials, and otherwise none", () => {
  assert.match(credentialSource(facts({ AWS_WEB_IDENTITY_TOKEN_FILE: "/t" })).source, /^web identity/);
  assert.match(
    credentialSource(facts({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2" })).source,
    /^container/,
  );
  assert.match(
    credentialSource(facts({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://x" })).source,
    /^container/,
  );
  const none = credentialSource(facts({ AWS_ACCESS_KEY_ID: "only the id" }));
  assert.deepEqual(none, {
    source: "instance metadata or none (could not find static credentials)",
    found: false,
  });
});

Deno.test("sharedFilePaths() honours the SDK's variables for the shared files", () => {
  assert.deepEqual(sharedFilePaths(() => undefined, "/h"), {
    credentials: "/h/.aws/credentials",
    config: "/h/.aws/config",
  });
  const moved = sharedFilePaths(
    (n) => ({ AWS_CONFIG_FILE: "/c", AWS_SHARED_CREDENTIALS_FILE: "/k" })[n],
    "/h",
  );
  assert.deepEqual(moved, { credentials: "/k", config: "/c" });
  assert.equal(sharedFilePaths(() => undefined, undefined), null);
});

Deno.test("credentialsCheck() reports a credential error from the signed call against the source", () => {
  const env = { source: "environment (AWS_ACCESS_KEY_ID)", found: true };
  const rejected = credentialsCheck(env, {
    answered: false,
    problem: { kind: "credentials", message: "Describing table failed: UnrecognizedClientException: bad" },
  });
  assert.equal(rejected.ok, false);
  assert.match(rejected.detail, /^environment .*: Describing table failed/);
  assert.equal(credentialsCheck(env, { answered: true, problem: null }).ok, true);
  assert.match(
    credentialsCheck(env, { answered: false, problem: { kind: "network", message: "x" } }).detail,
    /not verified/,
  );
  const none = { source: "instance metadata or none", found: false };
  assert.equal(credentialsCheck(none, { answered: true, problem: null }).ok, true);
  assert.equal(credentialsCheck(none, { answered: false, problem: null }).ok, false);
});

/** An error shaped as the SDK throws it: service errors carry the HTTP status of the answer. */
function sdkError(name: string, httpStatusCode?: number): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  Object.assign(error, { $metadata: httpStatusCode ? { httpStatusCode, attempts: 1 } : { attempts: 1 } });
  return error;
}

Deno.test("classifyAwsError() tells credentials, network and service errors apart", () => {
  assert.equal(classifyAwsError(sdkError("CredentialsProviderError")), "credentials");
  assert.equal(classifyAwsError(sdkError("UnrecognizedClientException", 400)), "credentials");
  assert.equal(classifyAwsError(sdkError("InvalidSignatureException", 400)), "credentials");
  assert.equal(classifyAwsError(sdkError("Error")), "network");
  assert.equal(classifyAwsError(sdkError("TimeoutError")), "network");
  assert.equal(classifyAwsError(sdkError("ResourceNotFoundException", 400)), "service");
  assert.equal(classifyAwsError(sdkError("AccessDeniedException", 400)), "service");
});

Deno.test("AwsGate fails the first unreachable check and skips the rest", async () => {
  const gate = new AwsGate();
  const first = await gate.check(
    CHECK.table,
    'Describing table "t"',
    () => Promise.reject(sdkError("Error")),
  );
  assert.equal(first.ok, false);
  assert.equal(first.detail, 'Describing table "t" failed: Error happened');
  let ran = false;
  const second = await gate.check(CHECK.topic, "Reading topic", () => {
    ran = true;
    return Promise.resolve({ name: CHECK.topic, ok: true, detail: "" });
  });
  assert.equal(ran, false);
  assert.deepEqual(second, {
    name: CHECK.topic,
    ok: "skip",
    detail: 'AWS unreachable: Describing table "t" failed: Error happened',
  });
  assert.equal(gate.problem?.kind, "network");
});

Deno.test("AwsGate keeps going after a service error and points a denied call at the IAM policy", async () => {
  const gate = new AwsGate();
  const denied = await gate.check("x", "Reading queue", () => Promise.reject(sdkError("AccessDenied", 403)));
  assert.equal(denied.ok, false);
  assert.match(denied.fix ?? "", /IAM policy/);
  assert.equal(gate.problem?.kind, undefined);
  assert.equal(gate.answered, true);
  const bad = await gate.check(CHECK.table, "x", () => Promise.reject(sdkError("CredentialsProviderError")));
  assert.equal(bad.ok, "skip");
  assert.equal(gate.problem?.kind, "credentials");
});

Deno.test("tableCheck() wants hostname HASH and key RANGE in any order, and the per-host index", () => {
  const KeySchema = [{ AttributeName: "key", KeyType: "RANGE" as const }, {
    AttributeName: "hostname",
    KeyType: "HASH" as const,
  }];
  const index = (IndexStatus: "ACTIVE" | "CREATING", keys = ["key", "hostname"]) => ({
    IndexName: "hosts",
    IndexStatus,
    KeySchema: [{ AttributeName: keys[0], KeyType: "HASH" as const }, {
      AttributeName: keys[1],
      KeyType: "RANGE" as const,
    }],
  });
  const ready = tableCheck("t", { KeySchema, GlobalSecondaryIndexes: [index("ACTIVE")] });
  assert.equal(ready.ok, true);
  assert.match(ready.detail, /index "hosts"$/);
  const building = tableCheck("t", { KeySchema, GlobalSecondaryIndexes: [index("CREATING")] });
  assert.equal(building.ok, true);
  assert.match(building.detail, /being built: status reads the whole table/);
  const old = tableCheck("t", { KeySchema });
  assert.equal(old.ok, false);
  assert.equal(old.fix, "run `gitargus setup-aws` to add it");
  const other = tableCheck("t", {
    KeySchema,
    GlobalSecondaryIndexes: [index("ACTIVE", ["hostname", "key"])],
  });
  assert.equal(other.ok, false);
  assert.match(other.detail, /of another shape/);
  const alpha = tableCheck("t", { KeySchema: [{ AttributeName: "host", KeyType: "HASH" }] });
  assert.equal(alpha.ok, false);
  assert.match(alpha.detail, /has the keys host HASH/);
});

Deno.test("queueSettingsCheck() accepts what setup-aws sets and fails the alpha's 10 s delay", () => {
  assert.equal(queueSettingsCheck(QUEUE_ATTRIBUTES).ok, true);
  const delayed = queueSettingsCheck({ ...QUEUE_ATTRIBUTES, DelaySeconds: "10" });
  assert.equal(delayed.ok, false);
  assert.match(delayed.detail, /DelaySeconds is 10/);
  assert.equal(delayed.fix, "run `gitargus setup-aws` to set it to 0");
  const short = queueSettingsCheck({
    DelaySeconds: "0",
    MessageRetentionPeriod: "3600",
    VisibilityTimeout: "5",
  });
  assert.equal(short.ok, false);
  assert.match(short.detail, /MessageRetentionPeriod is 3600 s .*; VisibilityTimeout is 5 s/);
  assert.equal(short.fix, "run `gitargus setup-aws` to reset them");
  assert.equal(queueSettingsCheck({}).ok, false);
});

const TOPIC = "arn:aws:sns:us-east-1:123456789012:gitargus.fifo";
const QUEUE = "arn:aws:sqs:us-east-1:123456789012:laptop.fifo";

Deno.test("queuePolicyCheck() accepts the policy setup-aws writes and nothing that shuts the topic out", () => {
  assert.equal(queuePolicyCheck(JSON.stringify(queuePolicy(QUEUE, TOPIC)), TOPIC).ok, true);
  assert.equal(queuePolicyCheck(JSON.stringify(queuePolicy(QUEUE, TOPIC + "-old")), TOPIC).ok, false);
  assert.equal(queuePolicyCheck(undefined, TOPIC).ok, false);
  assert.equal(queuePolicyCheck("{not json", TOPIC).ok, false);
  const deny = {
    Statement: [{ Effect: "Deny", Action: "sqs:*", Condition: { ArnEquals: { "aws:SourceArn": TOPIC } } }],
  };
  assert.equal(queuePolicyCheck(JSON.stringify(deny), TOPIC).ok, false);
  const broad = {
    Statement: { Effect: "Allow", Action: ["sqs:*"], Condition: { ArnLike: { "AWS:SourceArn": [TOPIC] } } },
  };
  assert.equal(queuePolicyCheck(JSON.stringify(broad), TOPIC).ok, true);
});

Deno.test("subscriptionCheck() needs a confirmed subscription with raw message delivery", () => {
  assert.equal(subscriptionCheck(QUEUE, { arn: `${TOPIC}:1`, rawDelivery: "true" }).ok, true);
  assert.equal(subscriptionCheck(QUEUE, { arn: `${TOPIC}:1`, rawDelivery: "false" }).ok, false);
  assert.equal(subscriptionCheck(QUEUE, { arn: "PendingConfirmation", rawDelivery: undefined }).ok, false);
  const none = subscriptionCheck(QUEUE, null);
  assert.equal(none.ok, false);
  assert.match(none.detail, /is not subscribed/);
});

Deno.test("hooksCheck() names the repositories without a hook and does not fail for missing ones", () => {
  const ok = hooksCheck([{ repo: "a", kind: "installed" }, {
    repo: "gone",
    kind: "missing",
    reason: "no dir",
  }]);
  assert.equal(ok.ok, true);
  assert.match(ok.detail, /installed in 1 repository; not found: gone \(no dir\)/);
  const broken = hooksCheck([
    { repo: "a", kind: "absent" },
    { repo: "b", kind: "outdated" },
    { repo: "c", kind: "installed" },
  ]);
  assert.equal(broken.ok, false);
  assert.equal(broken.detail, "no working hook in a, b (outdated)");
  assert.equal(broken.fix, "run `gitargus hooks install`");
  assert.equal(hooksCheck([{ repo: "gone", kind: "missing", reason: "x" }]).ok, "skip");
});

Deno.test("serviceCheck() fails a missing or stopped service and skips when systemd cannot answer", () => {
  assert.equal(
    serviceCheck({ kind: "absent", looked: ["/u"] }).fix,
    "run `gitargus install-service --enable`",
  );
  const unit = { kind: "systemd", unit: "gitargus.service", system: false } as const;
  assert.equal(serviceCheck({ ...unit, state: "active" }).ok, true);
  const stopped = serviceCheck({ ...unit, state: "failed" });
  assert.equal(stopped.ok, false);
  assert.equal(stopped.fix, "run `systemctl --user enable --now gitargus.service`");
  const noBus = serviceCheck({ ...unit, state: null, error: "Failed to connect to bus" });
  assert.deepEqual(noBus, {
    name: CHECK.service,
    ok: "skip",
    detail: "cannot ask systemd: Failed to connect to bus",
  });
  assert.equal(serviceCheck({ kind: "launchd", label: "l", loaded: false }).ok, false);
  assert.equal(serviceCheck({ kind: "none", os: "windows" }).ok, "skip");
});

Deno.test("clockCheck() allows a minute of skew and says which way the clock is off", () => {
  const header = "Mon, 23 Nov 2026 21:10:54 GMT";
  const server = Date.parse(header) + 500;
  const inStep = clockCheck(header, server - 100, server + 100, "aws");
  assert.equal(inStep.ok, true);
  assert.equal(inStep.detail, "the local clock is within 1 s of aws");
  assert.equal(clockCheck(header, server + 59_000, server + 59_000, "aws").ok, true);
  const behind = clockCheck(header, server - 120_000, server - 120_000, "aws");
  assert.equal(behind.ok, false);
  assert.equal(behind.detail, "the local clock is 120 s behind aws");
  assert.equal(behind.fix, "sync the clock (timedatectl set-ntp true)");
  assert.match(clockCheck(header, server + 90_000, server + 90_000, "aws").detail, /90 s ahead of aws/);
  assert.equal(clockCheck(null, 0, 0, "aws").ok, "skip");
  assert.equal(clockCheck("yesterday", 0, 0, "aws").ok, "skip");
});

Deno.test("dynamodbUrl() prefers the configured endpoint and knows the China partition", () => {
  assert.equal(dynamodbUrl("http://127.0.0.1:8000", "us-east-1"), "http://127.0.0.1:8000");
  assert.equal(dynamodbUrl(undefined, "eu-west-1"), "https://dynamodb.eu-west-1.amazonaws.com/");
  assert.equal(dynamodbUrl(undefined, "cn-north-1"), "https://dynamodb.cn-north-1.amazonaws.com.cn/");
  assert.equal(dynamodbUrl(undefined, undefined), undefined);
});
