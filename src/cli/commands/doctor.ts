/**
 * `gitargus doctor`: reads what each check needs (the config, git, AWS, the hooks, the service manager, an
 * AWS Date header) and prints one row per check. The conclusions are drawn in `src/doctor/`.
 */

import { env, type GlobalOptions, home, hookCommands, instanceLockFile, loadCliConfig } from "../context.ts";
import * as out from "../output.ts";
import type { Config } from "../../config/types.ts";
import { ConfigError, firstLine, GitargusError } from "../../errors.ts";
import { clientSettings } from "../../aws/clients.ts";
import { DenoGitRunner, type GitRunner } from "../../git/runner.ts";
import { locateRepository } from "../../git/repo.ts";
import { hookState } from "../../git/hooks.ts";
import { probeDaemon, probeService } from "../../service/probe.ts";
import { daemonCheck, describeOwner } from "../../doctor/daemon_check.ts";
import { readHeartbeat } from "../../doctor/heartbeat.ts";
import { doctorSummary } from "../../doctor/summary.ts";
import {
  CHECK,
  type CheckResult,
  clockCheck,
  dynamodbUrl,
  fail,
  gitCheck,
  type HookFinding,
  hooksCheck,
  pass,
  queueCheck,
  queuePolicyCheck,
  queueSettingsCheck,
  serviceCheck,
  SETUP_AWS,
  skip,
  subscriptionCheck,
  tableCheck,
  topicCheck,
  withoutRegion,
} from "../../doctor/checks.ts";
import { AwsGate, credentialsCheck, credentialSource, sharedFilePaths } from "../../doctor/aws_access.ts";

/** Enough for one answer from a reachable endpoint or service manager; the doctor must not hang on others. */
const TIMEOUT_MS = 5_000;

export async function doctorCommand(globals: GlobalOptions, options: { json?: true }): Promise<void> {
  const results = await runChecks(globals);
  const failed = results.filter((r) => r.ok === false).length;
  if (options.json) out.json(doctorSummary(results));
  else printTable(results);
  if (failed > 0) throw new GitargusError(`${failed} check${failed === 1 ? "" : "s"} failed`);
}

async function runChecks(globals: GlobalOptions): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = await loadCliConfig(globals);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      fail(CHECK.config, error.message, "edit the file or run `gitargus init`"),
      await gitRow(new DenoGitRunner(), home() ?? Deno.cwd()),
      ...Object.values(CHECK).filter((name) => name !== CHECK.config && name !== CHECK.git)
        .map((name) => skip(name, "needs a valid config")),
    ];
  }
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const gate = new AwsGate();
  const aws = clientSettings(config.aws, "dynamodb").region ? await awsRows(config, gate) : withoutRegion();
  // The clock is read from DynamoDB's endpoint: skipped only when that one did not answer.
  const clock = gate.problem?.kind === "network" && aws[0]?.ok === false
    ? skip(CHECK.clock, `AWS unreachable: ${gate.problem.message}`)
    : await clockRow(config);
  return [
    pass(CHECK.config, config.file),
    await gitRow(runner, config.root),
    credentialsCheck(await findCredentials(config), gate),
    ...aws,
    await hooksRow(config, runner),
    ...await serviceRows(config, gate),
    clock,
  ];
}

/** The service and the daemon: a daemon started otherwise (by hand, cron) makes a missing service no failure. */
async function serviceRows(config: Config, gate: AwsGate): Promise<CheckResult[]> {
  let lockFile: string;
  try {
    lockFile = await instanceLockFile(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [serviceCheck(await probeService()), skip(CHECK.daemon, error.detail)];
  }
  const [service, daemon, heartbeat] = await Promise.all([
    probeService(),
    probeDaemon(lockFile),
    readHeartbeat(config, gate, TIMEOUT_MS),
  ]);
  const running = daemon.held ? describeOwner(daemon) : undefined;
  return [serviceCheck(service, running), daemonCheck(config.hostname, daemon, heartbeat, new Date())];
}

async function gitRow(runner: GitRunner, cwd: string): Promise<CheckResult> {
  try {
    return gitCheck((await runner.run(["--version"], { cwd, timeoutMs: 10_000 })).stdout);
  } catch (error) {
    if (!(error instanceof GitargusError)) throw error;
    return fail(CHECK.git, error.message, "install git");
  }
}

async function findCredentials(config: Config) {
  const files = sharedFilePaths(env, home());
  return credentialSource({
    env,
    ...(config.aws.profile ? { configProfile: config.aws.profile } : {}),
    credentialsFile: files ? await readOrNull(files.credentials) : null,
    configFile: files ? await readOrNull(files.config) : null,
  });
}

/** The table, topic, queue, subscription, queue settings and queue policy rows, in that order. */
async function awsRows(config: Config, gate: AwsGate): Promise<CheckResult[]> {
  const [ddb, sns, sqs] = await Promise.all([
    import("@aws-sdk/client-dynamodb"),
    import("@aws-sdk/client-sns"),
    import("@aws-sdk/client-sqs"),
  ]);
  const settings = (service: "dynamodb" | "sns" | "sqs") =>
    clientSettings(config.aws, service, { requestTimeoutMs: TIMEOUT_MS, maxAttempts: 1 });
  const dynamodb = new ddb.DynamoDBClient(settings("dynamodb"));
  const snsClient = new sns.SNSClient(settings("sns"));
  const sqsClient = new sqs.SQSClient(settings("sqs"));
  try {
    const table = config.aws.dynamodb.table;
    const tableRow = await gate.check(CHECK.table, `Describing table "${table}"`, async () => {
      const read = await unlessMissing(
        ddb.ResourceNotFoundException,
        () => dynamodb.send(new ddb.DescribeTableCommand({ TableName: table })),
      );
      if (!read) return fail(CHECK.table, `"${table}" does not exist`, SETUP_AWS);
      return tableCheck(table, read.Table);
    });

    const topicArn = config.aws.sns.topic.arn;
    let topicFound = false;
    const topicRow = !topicArn
      ? fail(CHECK.topic, "aws.sns.topic.arn is not set", SETUP_AWS)
      : await gate.check(CHECK.topic, `Reading topic "${topicArn}"`, async () => {
        const read = await unlessMissing(sns.NotFoundException, () =>
          snsClient.send(new sns.GetTopicAttributesCommand({ TopicArn: topicArn })));
        topicFound = read !== null;
        return read ? topicCheck(topicArn, read.Attributes ?? {}) : fail(
          CHECK.topic,
          `${topicArn} does not exist`,
          "remove aws.sns.topic.arn and run `gitargus setup-aws`",
        );
      });

    const queueName = config.aws.sqs.queue;
    let attributes = null as Record<string, string | undefined> | null;
    const queueRow = !queueName
      ? fail(CHECK.queue, "aws.sqs.queue is not set", SETUP_AWS)
      : await gate.check(CHECK.queue, `Reading queue "${queueName}"`, async () => {
        const found = await unlessMissing(sqs.QueueDoesNotExist, () =>
          sqsClient.send(new sqs.GetQueueUrlCommand({ QueueName: queueName })));
        if (!found?.QueueUrl) {
          return fail(CHECK.queue, `"${queueName}" does not exist`, SETUP_AWS);
        }
        const read = await sqsClient.send(
          new sqs.GetQueueAttributesCommand({ QueueUrl: found.QueueUrl, AttributeNames: ["All"] }),
        );
        attributes = read.Attributes ?? {};
        return queueCheck(queueName, attributes);
      });

    const queueArn = attributes?.QueueArn;
    const subscriptionRow = gate.skipped(CHECK.subscription) ??
      (!topicArn || !topicFound || !queueArn
        ? skip(CHECK.subscription, "needs the topic and the queue")
        : await gate.check(CHECK.subscription, `Reading the subscriptions of "${topicArn}"`, async () => {
          let next: string | undefined;
          do {
            const page = await snsClient.send(
              new sns.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }),
            );
            const found = page.Subscriptions?.find((s) => s.Protocol === "sqs" && s.Endpoint === queueArn);
            if (found?.SubscriptionArn) {
              const arn = found.SubscriptionArn;
              const read = arn === "PendingConfirmation" ? null : await snsClient.send(
                new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
              ).catch(() => null);
              return subscriptionCheck(queueArn, { arn, rawDelivery: read?.Attributes?.RawMessageDelivery });
            }
            next = page.NextToken;
          } while (next);
          return subscriptionCheck(queueArn, null);
        }));

    return [
      tableRow,
      topicRow,
      queueRow,
      subscriptionRow,
      gate.skipped(CHECK.queueSettings) ??
        (attributes ? queueSettingsCheck(attributes) : skip(CHECK.queueSettings, "needs the queue")),
      gate.skipped(CHECK.queuePolicy) ??
        (attributes && topicArn
          ? queuePolicyCheck(attributes.Policy, topicArn)
          : skip(CHECK.queuePolicy, "needs the queue and the topic")),
    ];
  } finally {
    dynamodb.destroy();
    snsClient.destroy();
    sqsClient.destroy();
  }
}

/** The answer of `send`, or null when it failed because the resource does not exist. */
async function unlessMissing<T>(missing: abstract new (...args: never[]) => Error, send: () => Promise<T>) {
  try {
    return await send();
  } catch (error) {
    if (error instanceof missing) return null;
    throw error;
  }
}

async function hooksRow(config: Config, runner: GitRunner): Promise<CheckResult> {
  const command = await hookCommands(config);
  const findings = await Promise.all(config.repositories.map(async (repo): Promise<HookFinding> => {
    try {
      const found = await locateRepository(runner, repo);
      if (!found.ok) return { repo: repo.name, kind: "missing", reason: found.reason };
      const state = await hookState(runner, found.location, command);
      return {
        repo: repo.name,
        kind: state.kind,
        ...(state.kind === "unsupported" && { reason: state.reason }),
      };
    } catch (error) {
      if (!(error instanceof GitargusError)) throw error;
      return { repo: repo.name, kind: "error", reason: error.message };
    }
  }));
  return hooksCheck(findings);
}

/** One unsigned request to the DynamoDB endpoint the SDK would use: its Date header is AWS's clock. */
async function clockRow(config: Config): Promise<CheckResult> {
  const settings = clientSettings(config.aws, "dynamodb");
  const url = dynamodbUrl(settings.endpoint, settings.region);
  if (!url) return skip(CHECK.clock, "no AWS region is configured");
  const where = new URL(url).host;
  const sentAt = Date.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const receivedAt = Date.now();
    await response.body?.cancel();
    return clockCheck(response.headers.get("date"), sentAt, receivedAt, where);
  } catch (error) {
    return skip(CHECK.clock, `cannot reach ${where}: ${firstLine((error as Error).message)}`);
  }
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

function printTable(results: CheckResult[]): void {
  const paint = out.palette();
  const label = (ok: CheckResult["ok"]) =>
    ok === true ? paint.green("OK") : ok === false ? paint.red("FAIL") : paint.yellow("SKIP");
  const rows = results.flatMap((r) => [
    [r.name, label(r.ok), r.detail],
    ...(r.ok === false && r.fix ? [["", "", paint.dim(`fix: ${r.fix}`)]] : []),
  ]);
  out.line(out.table(["CHECK", "RESULT", "DETAIL"], rows, paint));
}
