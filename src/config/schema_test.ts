import assert from "node:assert/strict";
import type { ConfigError } from "../errors.ts";
import { type ConfigInput, validateConfig } from "./schema.ts";
import { formatKeyPath } from "./defaults.ts";
import { parseConfigSource } from "./source.ts";
import { assertConfigError } from "./_testing.ts";

const FILE = "/home/user/.gitargus/config.yml";

function validate(text: string): ConfigInput {
  const { raw, locate } = parseConfigSource(text, FILE);
  return validateConfig(raw, FILE, locate);
}

/** Validates `text`, expecting a ConfigError at `keyPath` on `line` whose message contains `fragment`. */
function assertInvalid(
  text: string,
  keyPath: string,
  line: number | undefined,
  fragment: string,
): ConfigError {
  let caught: unknown;
  try {
    validate(text);
  } catch (error) {
    caught = error;
  }
  assertConfigError(caught, { keyPath, line, fragment });
  assert.equal(caught.file, FILE);
  return caught;
}

Deno.test("validateConfig() accepts the legacy format and fills in defaults", () => {
  const input = validate(`hostname: machine
root: /home/user/Workspace
repositories: [repo1, project1/repo1]
aws: { dynamodb: { table: git }, sqs: { queue: machine.fifo }, sns: { topic: { arn: "arn:aws:sns:eu-central-1:123456789012:git.fifo" } } }
timezone: Europe/Budapest
python: { bin: /usr/bin/python3.11 }
`);
  assert.equal(input.hostname, "machine");
  assert.deepEqual(input.repositories, ["repo1", "project1/repo1"]);
  assert.equal(input.aws.dynamodb.table, "git");
  assert.equal(input.aws.sqs.queue, "machine.fifo");
  assert.equal(input.autoPull, true);
  assert.deepEqual(input.daemon, {
    reconcileMinutes: 15,
    heartbeatSeconds: 60,
    fetchTimeoutSeconds: 60,
    parallelism: 4,
  });
  assert.deepEqual(input.python, { bin: "/usr/bin/python3.11" });
});

Deno.test("validateConfig() defaults the table to gitargus when aws is absent", () => {
  const input = validate("root: /r\n");
  assert.equal(input.aws.dynamodb.table, "gitargus");
  assert.deepEqual(input.repositories, []);
});

Deno.test("validateConfig() accepts repository entries with a per-repository autoPull", () => {
  const input = validate(
    "root: /r\nautoPull: false\nrepositories:\n  - a\n  - { name: b/c, autoPull: true }\n",
  );
  assert.deepEqual(input.repositories, ["a", { name: "b/c", autoPull: true }]);
  assert.equal(input.autoPull, false);
});

Deno.test("validateConfig() accepts endpoints, region, profile and daemon settings", () => {
  const input = validate(`root: /r
aws:
  region: eu-central-1
  profile: work
  endpoint: http://localhost:4566
  dynamodb: { endpoint: "https://dynamo.local:8000" }
daemon: { reconcileMinutes: 1, heartbeatSeconds: 5, fetchTimeoutSeconds: 1, parallelism: 64 }
`);
  assert.equal(input.aws.endpoint, "http://localhost:4566");
  assert.equal(input.aws.dynamodb.endpoint, "https://dynamo.local:8000");
  assert.equal(input.daemon.parallelism, 64);
});

Deno.test("validateConfig() accepts python with any content", () => {
  assert.equal(validate("root: /r\npython: 3\n").python, 3);
  assert.equal(validate("root: /r\npython:\n").python, null);
});

Deno.test("validateConfig() suggests the closest key for a misspelled one", () => {
  assertInvalid(
    "root: /r\nreposirories: [a]\n",
    "reposirories",
    2,
    'unknown key "reposirories"; did you mean "repositories"?',
  );
});

Deno.test("validateConfig() suggests a key whose letters are swapped", () => {
  assertInvalid(
    "root: /r\naws:\n  dynamodb: { tabel: x }\n",
    "aws.dynamodb.tabel",
    3,
    'did you mean "table"?',
  );
});

Deno.test("validateConfig() suggests nothing when no key is close", () => {
  const error = assertInvalid("root: /r\nzzz: 1\n", "zzz", 2, 'unknown key "zzz"');
  assert.ok(!error.message.includes("did you mean"));
});

Deno.test("validateConfig() refuses unknown keys inside a repository entry", () => {
  assertInvalid(
    "root: /r\nrepositories:\n  - { name: a, autopull: false }\n",
    "repositories[0].autopull",
    3,
    'did you mean "autoPull"?',
  );
});

Deno.test("validateConfig() refuses a string where the repository list belongs", () => {
  assertInvalid(
    "root: /r\nrepositories: repo1\n",
    "repositories",
    2,
    'expected a list of repository names, got a string ("repo1")',
  );
});

Deno.test("validateConfig() refuses a quoted yes for autoPull", () => {
  assertInvalid(
    'root: /r\nautoPull: "yes"\n',
    "autoPull",
    2,
    'or a list of branch globs such as [main, "release/*"], got a string ("yes")',
  );
});

Deno.test("validateConfig() reads every autoPull form, globally and per repository", () => {
  const input = validate(
    'root: /r\nautoPull: others\nrepositories:\n  - { name: a, autoPull: current }\n  - { name: b, autoPull: [main, "release/*"] }\n  - { name: c, autoPull: false }\n',
  );
  assert.equal(input.autoPull, "others");
  assert.deepEqual(input.repositories, [
    { name: "a", autoPull: "current" },
    { name: "b", autoPull: ["main", "release/*"] },
    { name: "c", autoPull: false },
  ]);
});

Deno.test("validateConfig() names the element of an autoPull list that is not a branch glob", () => {
  assertInvalid(
    "root: /r\nautoPull:\n  - main\n  - release/[0-9\n",
    "autoPull[1]",
    4,
    'invalid branch glob "release/[0-9"',
  );
  assertInvalid("root: /r\nautoPull: []\n", "autoPull", 2, "expected at least one branch glob");
  assertInvalid('root: /r\nautoPull: "false"\n', "autoPull", 2, "write false without quotes");
});

Deno.test("validateConfig() refuses a number where a string is expected", () => {
  assertInvalid("root: /r\nhostname: 12\n", "hostname", 2, "expected a host name, got a number (12)");
});

Deno.test("validateConfig() refuses a repository entry that is a number", () => {
  assertInvalid(
    "root: /r\nrepositories:\n  - a\n  - 3\n",
    "repositories[1]",
    4,
    "expected a repository name or a mapping",
  );
});

Deno.test("validateConfig() refuses a repository mapping without a name", () => {
  assertInvalid(
    "root: /r\nrepositories:\n  - autoPull: true\n",
    "repositories[0].name",
    3,
    'missing required key "name"',
  );
});

Deno.test("validateConfig() refuses an empty repository name", () => {
  assertInvalid(
    "root: /r\nrepositories:\n  - ok\n  - ''\n",
    "repositories[1]",
    4,
    "expected a repository name, got an empty string",
  );
});

Deno.test("validateConfig() refuses a file without root", () => {
  assertInvalid("hostname: machine\n", "root", undefined, 'missing required key "root"');
});

Deno.test("validateConfig() refuses a relative root", () => {
  assertInvalid(
    "root: Workspace\n",
    "root",
    1,
    'expected an absolute path (or one starting with "~/"), got "Workspace"',
  );
});

Deno.test("validateConfig() accepts a root starting with ~/", () => {
  assert.equal(validate("root: ~/Workspace\n").root, "~/Workspace");
});

Deno.test("validateConfig() refuses an unknown time zone", () => {
  assertInvalid("root: /r\ntimezone: Mars/Base\n", "timezone", 2, 'unknown time zone "Mars/Base"');
});

Deno.test("validateConfig() refuses an endpoint that is not an http(s) URL", () => {
  assertInvalid(
    "root: /r\naws:\n  endpoint: ftp://x\n",
    "aws.endpoint",
    3,
    'expected an http(s) URL such as "http://localhost:4566", got "ftp://x"',
  );
});

Deno.test("validateConfig() refuses a bad service endpoint", () => {
  assertInvalid(
    "root: /r\naws:\n  sqs:\n    endpoint: localhost:9324\n",
    "aws.sqs.endpoint",
    4,
    "expected an http(s) URL",
  );
});

Deno.test("validateConfig() refuses a queue name without .fifo", () => {
  assertInvalid(
    "root: /r\naws:\n  sqs:\n    queue: machine\n",
    "aws.sqs.queue",
    4,
    'ending in ".fifo", got "machine"',
  );
});

Deno.test("validateConfig() refuses a topic ARN that is not an SNS FIFO topic", () => {
  assertInvalid(
    'root: /r\naws: { sns: { topic: { arn: "arn:aws:sns:..." } } }\n',
    "aws.sns.topic.arn",
    2,
    "expected an SNS FIFO topic ARN",
  );
  assertInvalid(
    "root: /r\naws: { sns: { topic: { arn: arn:aws:sqs:eu-west-1:123456789012:q.fifo } } }\n",
    "aws.sns.topic.arn",
    2,
    "expected an SNS FIFO topic ARN",
  );
});

Deno.test("validateConfig() accepts a topic ARN in another partition", () => {
  const arn = "arn:aws-cn:sns:cn-north-1:123456789012:gitargus.fifo";
  assert.equal(validate(`root: /r\naws: { sns: { topic: { arn: "${arn}" } } }\n`).aws.sns.topic.arn, arn);
});

Deno.test("validateConfig() refuses a parallelism out of range", () => {
  assertInvalid(
    "root: /r\ndaemon:\n  parallelism: 0\n",
    "daemon.parallelism",
    3,
    "expected a whole number between 1 and 64, got 0",
  );
  assertInvalid("root: /r\ndaemon:\n  parallelism: 65\n", "daemon.parallelism", 3, "got 65");
});

Deno.test("validateConfig() refuses a heartbeat below five seconds or not whole", () => {
  assertInvalid(
    "root: /r\ndaemon: { heartbeatSeconds: 4 }\n",
    "daemon.heartbeatSeconds",
    2,
    "of at least 5, got 4",
  );
  assertInvalid("root: /r\ndaemon: { heartbeatSeconds: 7.5 }\n", "daemon.heartbeatSeconds", 2, "got 7.5");
});

Deno.test("validateConfig() refuses a daemon value of the wrong type", () => {
  assertInvalid(
    "root: /r\ndaemon: { reconcileMinutes: often }\n",
    "daemon.reconcileMinutes",
    2,
    'got a string ("often")',
  );
});

Deno.test("validateConfig() refuses an aws block that is not a mapping", () => {
  assertInvalid("root: /r\naws: 3\n", "aws", 2, "expected a mapping of AWS settings, got a number (3)");
});

Deno.test("validateConfig() reports the problem that comes first in the file", () => {
  assertInvalid(
    "daemon: { parallelism: 0 }\nroot: /r\nautoPul: true\n",
    "daemon.parallelism",
    1,
    "between 1 and 64",
  );
  assertInvalid("autoPul: true\nroot: rel\n", "autoPul", 1, 'did you mean "autoPull"?');
});

Deno.test("formatKeyPath() joins keys with dots and writes indexes in brackets", () => {
  assert.equal(formatKeyPath(["aws", "sqs", "queue"]), "aws.sqs.queue");
  assert.equal(formatKeyPath(["repositories", 2, "name"]), "repositories[2].name");
});
