/**
 * `gitargus doctor` as a user runs it, against the emulators: after setup it finds nothing wrong with AWS
 * and the hooks, then finds each piece that is broken in turn, and says so in its own row and exit code.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { ListSubscriptionsByTopicCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { type Fleet, fleet } from "../helpers/fleet.ts";
import { awsClients, unusedLoopbackUrl } from "../helpers/emulators.ts";

interface Check {
  name: string;
  ok: boolean | "skip";
  status?: string;
  detail: string;
  fix?: string;
}

interface DoctorRun {
  code: number;
  stderr: string;
  checks: Check[];
  row(name: string): Check;
}

/** `doctor --json` on machine a; the exit code and the one-line summary must agree with the rows. */
async function doctor(f: Fleet, env: Record<string, string> = {}): Promise<DoctorRun> {
  const result = await f.cli("a", ["doctor", "--json"], { env: { ...f.env("a"), ...env } });
  const { checks } = JSON.parse(result.stdout) as { checks: Check[] };
  const failed = checks.filter((c) => c.ok === false).length;
  assert.equal(result.code, failed ? 1 : 0, result.stdout + result.stderr);
  assert.equal(result.stderr, failed ? `gitargus: ${failed} check${failed === 1 ? "" : "s"} failed\n` : "");
  const row = (name: string) => {
    const found = checks.find((c) => c.name === name);
    assert.ok(found, `no "${name}" row in ${result.stdout}`);
    return found;
  };
  return { code: result.code, stderr: result.stderr, checks, row };
}

const AWS_ROWS = [
  "dynamodb table",
  "sns topic",
  "sqs queue",
  "subscription",
  "queue settings",
  "queue policy",
];

Deno.test("doctor finds each broken piece in turn, in its own row, with the fix", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1"], setupAws: true });
  using aws = awsClients(f.emulators);
  const a = f.machine("a");
  await f.ok("a", ["hooks", "install"]);
  // A unit file makes the service check ask systemd; without a user bus in the test it answers SKIP.
  const units = join(a.home, ".config", "systemd", "user");
  await Deno.mkdir(units, { recursive: true });
  await Deno.writeTextFile(join(units, "gitargus.service"), "[Service]\nExecStart=/bin/true\n");

  const healthy = await doctor(f);
  for (const name of ["config", "git", "credentials", ...AWS_ROWS, "hooks", "clock"]) {
    assert.equal(healthy.row(name).ok, true, `${name}: ${healthy.row(name).detail}`);
  }
  assert.match(healthy.row("credentials").detail, /^environment/);
  assert.match(healthy.row("queue settings").detail, /^delay 0 s/);
  assert.match(healthy.row("hooks").detail, /installed in 1 repository/);
  assert.notEqual(healthy.row("service").ok, true);

  const nowhere = await unusedLoopbackUrl();
  const unreachable = await doctor(f, {
    AWS_ENDPOINT_URL_DYNAMODB: nowhere,
    AWS_ENDPOINT_URL_SNS: nowhere,
    AWS_ENDPOINT_URL_SQS: nowhere,
  });
  assert.equal(unreachable.row("dynamodb table").ok, false);
  assert.match(
    unreachable.row("dynamodb table").detail,
    /^Describing table "gitargus" failed: .*ECONNREFUSED/,
  );
  for (const name of [...AWS_ROWS.slice(1), "clock"]) {
    assert.match(unreachable.row(name).detail, /^AWS unreachable: Describing table/, name);
  }
  const noKeys = await doctor(f, { AWS_ACCESS_KEY_ID: "", AWS_EC2_METADATA_DISABLED: "true" });
  assert.equal(noKeys.row("credentials").ok, false);
  assert.match(noKeys.row("credentials").detail, /^instance metadata or none .*CredentialsProviderError/);
  assert.equal(noKeys.row("dynamodb table").ok, "skip");
  assert.equal(noKeys.row("clock").ok, true);

  const { QueueUrl } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: "a.fifo" }));
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  const noQueue = await doctor(f);
  assert.equal(noQueue.code, 1);
  assert.deepEqual(noQueue.row("sqs queue"), {
    name: "sqs queue",
    ok: false,
    detail: '"a.fifo" does not exist',
    fix: "run `gitargus setup-aws`",
    status: "fail",
  });
  assert.equal(noQueue.row("dynamodb table").ok, true);
  assert.equal(noQueue.row("sns topic").ok, true);
  for (const name of ["subscription", "queue settings", "queue policy"]) {
    assert.equal(noQueue.row(name).ok, "skip", name);
  }

  await f.ok("a", ["setup-aws"]);
  const config = parse(await Deno.readTextFile(join(a.home, ".gitargus", "config.yml")));
  const { Subscriptions = [] } = await aws.sns.send(
    new ListSubscriptionsByTopicCommand({ TopicArn: config.aws.sns.topic.arn }),
  );
  assert.equal(Subscriptions.length, 1);
  await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: Subscriptions[0]!.SubscriptionArn }));
  const unsubscribed = await doctor(f);
  assert.equal(unsubscribed.code, 1);
  assert.equal(unsubscribed.row("sqs queue").ok, true);
  assert.equal(unsubscribed.row("subscription").ok, false);
  assert.match(unsubscribed.row("subscription").detail, /:a\.fifo is not subscribed to the topic$/);

  await f.ok("a", ["setup-aws"]);
  await Deno.remove(join(a.repoPath("repo1"), ".git", "hooks", "pre-push"));
  const noHook = await doctor(f);
  assert.equal(noHook.row("subscription").ok, true);
  assert.deepEqual(noHook.row("hooks"), {
    name: "hooks",
    ok: false,
    detail: "no working hook in repo1",
    fix: "run `gitargus hooks install`",
    status: "fail",
  });
  const table = await f.cli("a", ["doctor"]);
  assert.equal(table.code, 1);
  assert.match(table.stdout, /^CHECK +RESULT +DETAIL$/m);
  assert.match(table.stdout, /^sqs queue +OK +"a\.fifo" \(FIFO\)$/m);
  assert.match(table.stdout, /^hooks +FAIL +no working hook in repo1\n +fix: run `gitargus hooks install`$/m);

  await Deno.writeTextFile(join(a.home, ".gitargus", "config.yml"), "hostname: [unclosed\nroot: .\n");
  const broken = await doctor(f);
  assert.equal(broken.code, 1);
  const row = broken.row("config");
  assert.equal(row.ok, false);
  assert.match(row.detail, /^Invalid config ".*config\.yml" \(line \d+\): YAML syntax error at line \d+/);
  assert.doesNotMatch(row.detail, /\n/);
  assert.equal(row.fix, "edit the file or run `gitargus init`");
  assert.equal(broken.row("git").ok, true);
  for (const name of [...AWS_ROWS, "credentials", "hooks", "service", "clock"]) {
    assert.equal(broken.row(name).ok, "skip", name);
  }
  // The doctor's own summary is the only line on stderr: no stack trace, no exit code 2 of a config error.
  assert.equal(broken.stderr, "gitargus: 1 check failed\n");
});
