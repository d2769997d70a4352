/**
 * What `gitargus doctor` concludes from what it has read: each check is a small function from facts (a
 * version line, queue attributes, a policy, a Date header) to one result with the fix for a failure.
 */

import type { TableDescription } from "@aws-sdk/client-dynamodb";
import { HOST_INDEX, hostIndexState, STATE_KEYS, tableKeys } from "../store/table_schema.ts";

export interface CheckResult {
  name: string;
  /** "skip": not checked, with the reason in `detail`. */
  ok: boolean | "skip";
  detail: string;
  fix?: string;
}

export const CHECK = {
  config: "config",
  git: "git",
  credentials: "credentials",
  table: "dynamodb table",
  topic: "sns topic",
  queue: "sqs queue",
  subscription: "subscription",
  queueSettings: "queue settings",
  queuePolicy: "queue policy",
  hooks: "hooks",
  service: "service",
  daemon: "daemon",
  clock: "clock",
} as const;

export const SETUP_AWS = "run `gitargus setup-aws`";

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, ok: "skip", detail });
export const fail = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  ok: false,
  detail,
  ...(fix ? { fix } : {}),
});

/** `status --show-stash` in porcelain v2 and `rev-parse --path-format` came with 2.35. */
export const MIN_GIT_VERSION = [2, 35] as const;

/** `git version 2.39.3 (Apple Git-145)` -> [2, 39, 3]; null when the text is no version line. */
export function parseGitVersion(text: string): number[] | null {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

export function versionAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (const [i, wanted] of minimum.entries()) {
    const have = version[i] ?? 0;
    if (have !== wanted) return have > wanted;
  }
  return true;
}

export function gitCheck(versionOutput: string): CheckResult {
  const version = parseGitVersion(versionOutput);
  const line = versionOutput.trim();
  if (!version) return fail(CHECK.git, `cannot read the version from "${line}"`, "install git");
  return versionAtLeast(version, MIN_GIT_VERSION)
    ? pass(CHECK.git, line)
    : fail(CHECK.git, `${line} is older than ${MIN_GIT_VERSION.join(".")}`, "upgrade git");
}

/** The keys setup-aws makes, and the per-host index `status` reads (src/store/table_schema.ts). */
export function tableCheck(table: string, description: TableDescription | undefined): CheckResult {
  const keys = tableKeys(description);
  if (keys !== STATE_KEYS) {
    return fail(
      CHECK.table,
      `"${table}" has the keys ${keys || "(none)"}, not ${STATE_KEYS}`,
      "set aws.dynamodb.table to a new name and run `gitargus setup-aws`",
    );
  }
  const shown = `"${table}" (${STATE_KEYS})`;
  switch (hostIndexState(description)) {
    case "active":
      return pass(CHECK.table, `${shown}, index "${HOST_INDEX}"`);
    case "building":
      return pass(CHECK.table, `${shown}, index "${HOST_INDEX}" being built: status reads the whole table`);
    case "missing":
      return fail(
        CHECK.table,
        `${shown} has no index "${HOST_INDEX}": status reads the whole table`,
        "run `gitargus setup-aws` to add it",
      );
    case "wrong":
      return fail(
        CHECK.table,
        `${shown} has an index "${HOST_INDEX}" of another shape`,
        "delete that index and run `gitargus setup-aws`",
      );
  }
}

/** Without a region the SDK cannot build a request: one failure says so, and the other AWS checks wait. */
export function withoutRegion(): CheckResult[] {
  const waiting = [CHECK.topic, CHECK.queue, CHECK.subscription, CHECK.queueSettings, CHECK.queuePolicy];
  return [
    fail(CHECK.table, "no AWS region is set", "set aws.region in the config, or AWS_REGION"),
    ...waiting.map((name) => skip(name, "needs an AWS region")),
  ];
}

type Attributes = Record<string, string | undefined>;

export function topicCheck(arn: string, attributes: Attributes): CheckResult {
  return attributes.FifoTopic === "true" ? pass(CHECK.topic, `${arn} (FIFO)`) : fail(
    CHECK.topic,
    `${arn} is not a FIFO topic`,
    "remove aws.sns.topic.arn and run `gitargus setup-aws`",
  );
}

export function queueCheck(name: string, attributes: Attributes): CheckResult {
  return attributes.FifoQueue === "true"
    ? pass(CHECK.queue, `"${name}" (FIFO)`)
    : fail(CHECK.queue, `"${name}" is not a FIFO queue`, "set aws.sqs.queue to a name ending in .fifo");
}

export function subscriptionCheck(
  queueArn: string,
  subscription: { arn: string; rawDelivery: string | undefined } | null,
): CheckResult {
  if (!subscription) return fail(CHECK.subscription, `${queueArn} is not subscribed to the topic`, SETUP_AWS);
  if (subscription.arn === "PendingConfirmation") {
    return fail(CHECK.subscription, `the subscription of ${queueArn} awaits confirmation`, SETUP_AWS);
  }
  if (subscription.rawDelivery === undefined) {
    return pass(CHECK.subscription, `${queueArn} is subscribed (raw delivery not readable)`);
  }
  return subscription.rawDelivery === "true"
    ? pass(CHECK.subscription, `${queueArn} is subscribed, raw message delivery`)
    : fail(CHECK.subscription, `${queueArn} is subscribed without raw message delivery`, SETUP_AWS);
}

const DAY_SECONDS = 24 * 3600;

export function queueSettingsCheck(attributes: Attributes): CheckResult {
  const read = (name: string) => attributes[name] === undefined ? NaN : Number(attributes[name]);
  const [delay, retention, visibility] = ["DelaySeconds", "MessageRetentionPeriod", "VisibilityTimeout"].map(
    read,
  ) as [number, number, number];
  const problems: string[] = [];
  if (delay !== 0) problems.push(`DelaySeconds is ${delay} (each push arrives that many seconds late)`);
  if (!(retention >= DAY_SECONDS)) problems.push(`MessageRetentionPeriod is ${retention} s (under 1 day)`);
  if (!(visibility >= 30)) problems.push(`VisibilityTimeout is ${visibility} s (under 30 s)`);
  const summary = `delay ${delay} s, retention ${Math.round(retention / 3600)} h, visibility ${visibility} s`;
  if (problems.length === 0) return pass(CHECK.queueSettings, summary);
  const onlyDelay = problems.length === 1 && delay !== 0;
  return fail(
    CHECK.queueSettings,
    problems.join("; "),
    `${SETUP_AWS} to ${onlyDelay ? "set it to 0" : "reset them"}`,
  );
}

/** The topic may send when an Allow statement for sqs:SendMessage names it as `aws:SourceArn`. */
export function queuePolicyCheck(policy: string | undefined, topicArn: string): CheckResult {
  if (!policy) return fail(CHECK.queuePolicy, "the queue has no policy, so the topic cannot send", SETUP_AWS);
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return fail(CHECK.queuePolicy, "the queue policy is not JSON", SETUP_AWS);
  }
  const statements = list((document as { Statement?: unknown } | null)?.Statement);
  const allows = statements.some((statement) => {
    const s = statement as { Effect?: unknown; Action?: unknown; Condition?: unknown } | null;
    const actions = list(s?.Action).map((a) => String(a).toLowerCase());
    return s?.Effect === "Allow" && actions.some((a) => ["sqs:sendmessage", "sqs:*", "*"].includes(a)) &&
      sourceArns(s.Condition).includes(topicArn);
  });
  return allows
    ? pass(CHECK.queuePolicy, "the topic may send (aws:SourceArn)")
    : fail(CHECK.queuePolicy, `the queue policy does not let ${topicArn} send`, SETUP_AWS);
}

function sourceArns(condition: unknown): unknown[] {
  if (typeof condition !== "object" || condition === null) return [];
  return Object.values(condition).flatMap((test) =>
    typeof test === "object" && test !== null
      ? Object.entries(test).filter(([key]) => key.toLowerCase() === "aws:sourcearn").flatMap(([, v]) =>
        list(v)
      )
      : []
  );
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** One configured repository's hook: a HookState kind, or "missing" when the repository is not there. */
export interface HookFinding {
  repo: string;
  kind: "installed" | "outdated" | "absent" | "foreign" | "unsupported" | "missing" | "error";
  reason?: string;
}

export function hooksCheck(findings: readonly HookFinding[]): CheckResult {
  const missing = findings.filter((f) => f.kind === "missing");
  const present = findings.filter((f) => f.kind !== "missing");
  const broken = present.filter((f) => f.kind !== "installed");
  const notFound = missing.length
    ? `; not found: ${missing.map((f) => `${f.repo} (${f.reason})`).join(", ")}`
    : "";
  if (present.length === 0) return skip(CHECK.hooks, `no repository to check${notFound}`);
  if (broken.length === 0) {
    return pass(
      CHECK.hooks,
      `installed in ${present.length} ${present.length === 1 ? "repository" : "repositories"}${notFound}`,
    );
  }
  const why = (f: HookFinding) =>
    f.kind === "absent"
      ? f.repo
      : `${f.repo} (${f.kind === "foreign" ? "another hook" : f.reason ?? f.kind})`;
  return fail(
    CHECK.hooks,
    `no working hook in ${broken.map(why).join(", ")}${notFound}`,
    "run `gitargus hooks install`",
  );
}

export const INSTALL_SERVICE = "run `gitargus install-service --enable`";

export type ServiceProbe =
  | { kind: "none"; os: string }
  | { kind: "absent"; looked: string[] }
  | { kind: "systemd"; unit: string; system: boolean; state: string | null; error?: string }
  | { kind: "launchd"; label: string; loaded: boolean | null; error?: string };

/**
 * `running` names a daemon that runs outside the service manager (`gitargus run` by hand, cron): then a
 * service that is missing or stopped is a choice, not a failure.
 */
export function serviceCheck(probe: ServiceProbe, running?: string): CheckResult {
  switch (probe.kind) {
    case "none":
      return skip(CHECK.service, `no service support on ${probe.os}`);
    case "absent":
      if (running) return skip(CHECK.service, `not installed; ${running} runs the daemon instead`);
      return fail(CHECK.service, `not installed (looked for ${probe.looked.join(", ")})`, INSTALL_SERVICE);
    case "systemd": {
      if (probe.state === null) {
        return skip(CHECK.service, `cannot ask systemd: ${probe.error ?? "no answer"}`);
      }
      if (probe.state === "active") return pass(CHECK.service, `${probe.unit} is active`);
      if (running) {
        return skip(CHECK.service, `${probe.unit} is ${probe.state}; ${running} runs the daemon instead`);
      }
      const start = probe.system
        ? `run \`sudo systemctl enable --now ${probe.unit}\``
        : `run \`systemctl --user enable --now ${probe.unit}\``;
      return fail(CHECK.service, `${probe.unit} is installed but ${probe.state}`, start);
    }
    case "launchd":
      if (probe.loaded === null) {
        return skip(CHECK.service, `cannot ask launchd: ${probe.error ?? "no answer"}`);
      }
      if (!probe.loaded && running) {
        return skip(CHECK.service, `${probe.label} is not loaded; ${running} runs the daemon instead`);
      }
      return probe.loaded
        ? pass(CHECK.service, `${probe.label} is loaded`)
        : fail(CHECK.service, `${probe.label} is installed but not loaded`, INSTALL_SERVICE);
  }
}

/** SigV4 rejects requests more than 5 minutes off; a minute already says the clock is not synced. */
export const MAX_SKEW_SECONDS = 60;

/**
 * Compares an AWS response's Date header with the local time halfway through the request. The header has
 * whole seconds, so the server's time lies within the second it names.
 */
export function clockCheck(
  date: string | null,
  sentAt: number,
  receivedAt: number,
  where: string,
): CheckResult {
  if (!date) return skip(CHECK.clock, `${where} sent no Date header`);
  const server = Date.parse(date);
  if (Number.isNaN(server)) return skip(CHECK.clock, `cannot read the Date header "${date}" of ${where}`);
  const skew = (server + 500 - (sentAt + receivedAt) / 2) / 1000;
  const seconds = Math.round(Math.abs(skew));
  const said = seconds < 1
    ? `within 1 s of ${where}`
    : `${seconds} s ${skew > 0 ? "behind" : "ahead of"} ${where}`;
  return seconds > MAX_SKEW_SECONDS
    ? fail(CHECK.clock, `the local clock is ${said}`, "sync the clock (timedatectl set-ntp true)")
    : pass(CHECK.clock, `the local clock is ${said}`);
}

/** The address that answers the clock check: the configured endpoint, else the region's public one. */
export function dynamodbUrl(endpoint: string | undefined, region: string | undefined): string | undefined {
  if (endpoint) return endpoint;
  if (!region) return undefined;
  return `https://dynamodb.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}/`;
}
