/**
 * The shape of the config file, checked with zod. Pure: no filesystem. Every failure becomes one ConfigError
 * that names the key path, its line, and what was expected against what was found.
 */

import { z } from "zod";
import { DEFAULT_DAEMON, DEFAULT_NOTIFY, DEFAULT_TABLE, formatKeyPath } from "./defaults.ts";
import { ConfigError } from "../errors.ts";
import type { KeyPath, Locate } from "./source.ts";
import { describeValue, issueDetail, quote } from "./_issues.ts";
import { ITEM_KINDS, type ItemKind } from "../state/attention_item.ts";
import { HOOK_EVENTS } from "../event_hooks/mod.ts";
import { AUTO_PULL_WORDS, branchGlobProblem } from "../sync/branch_policy.ts";

/** Error text for a schema: "expected <what>, got <value>". An absent key is reported by `issueDetail`. */
function expecting(what: string) {
  return {
    error: (issue: { code?: string; input?: unknown }) =>
      issue.code === "invalid_type" || issue.code === "invalid_union"
        ? issue.input === undefined
          ? `${what} is required`
          : `expected ${what}, got ${describeValue(issue.input)}`
        : undefined,
  };
}

function text(what: string) {
  return z.string(expecting(what)).refine((value) => value.trim() !== "", {
    error: `expected ${what}, got an empty string`,
  });
}

function wholeNumber(min: number, max: number | undefined, fallback: number) {
  const expected = `a whole number ${max === undefined ? `of at least ${min}` : `between ${min} and ${max}`}`;
  const error = (issue: { code?: string; input?: unknown }) =>
    typeof issue.input === "number"
      ? `expected ${expected}, got ${issue.input}`
      : expecting(expected).error(issue);
  const bounded = z.number({ error }).int({ error }).min(min, { error });
  return (max === undefined ? bounded : bounded.max(max, { error })).default(fallback);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
  } catch {
    return false;
  }
}

const endpoint = z.string(expecting("an http(s) URL")).refine(isHttpUrl, {
  error: (i) => `expected an http(s) URL such as "http://localhost:4566", got ${quote(i.input)}`,
}).optional();

export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * The host name labels this machine in the store, in the events other machines validate, and in its queue's
 * name: letters, digits, dots, hyphens and underscores.
 */
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** `eu-central-1`, `us-gov-west-1`: a typo here would only surface as a network error much later. */
const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/;
/** DynamoDB's rule for table names. */
const TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
/** SQS's rule for FIFO queue names: up to 80 characters with the suffix. */
const FIFO_QUEUE = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/** A non-empty string that must also match `pattern`; `rule` says in words what it did not match. */
function matching(what: string, pattern: RegExp, rule: string) {
  return text(what).refine((value) => pattern.test(value), {
    error: (i) => `expected ${what} (${rule}), got ${quote(i.input)}`,
  });
}

/** `arn:<partition>:sns:<region>:<account>:<name>.fifo`: GitArgus publishes to FIFO topics only. */
const TOPIC_ARN = /^arn:aws[-a-z]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,251}\.fifo$/;

const AUTO_PULL = 'true, false, "current", "others" or a list of branch globs such as [main, "release/*"]';
const isAutoPullWord = (value: string): value is typeof AUTO_PULL_WORDS[number] =>
  (AUTO_PULL_WORDS as readonly string[]).includes(value);

/** Which branches the daemon may fast-forward (src/sync/branch_policy.ts); booleans keep their old meaning. */
const autoPull = z.union([
  z.boolean(),
  z.string().refine(isAutoPullWord, {
    error: (i) =>
      `expected ${AUTO_PULL}, got ${describeValue(i.input)}${
        i.input === "true" || i.input === "false" ? `; write ${i.input} without quotes` : ""
      }`,
  }).transform((word) => word as typeof AUTO_PULL_WORDS[number]),
  z.array(
    z.string(expecting("a branch glob")).superRefine((glob, context) => {
      const problem = branchGlobProblem(glob);
      if (problem) {
        context.addIssue({ code: "custom", message: `invalid branch glob ${quote(glob)}: ${problem}` });
      }
    }),
  ).min(1, { error: "expected at least one branch glob, got an empty list (write false to move no branch)" }),
], expecting(AUTO_PULL));

const repositoryEntry = z.union([
  text("a repository name"),
  z.strictObject({
    name: text("a repository name"),
    autoPull: autoPull.optional(),
  }, expecting('a mapping with "name"')),
], expecting('a repository name or a mapping such as { name: "project/repo", autoPull: false }'));

const aws = z.strictObject({
  region: matching('an AWS region name such as "eu-central-1"', REGION, "lowercase words and a number")
    .optional(),
  profile: text("an AWS profile name").optional(),
  endpoint,
  dynamodb: z.strictObject({
    table: matching("a DynamoDB table name", TABLE, "3 to 255 letters, digits, dots, hyphens or underscores")
      .default(DEFAULT_TABLE),
    endpoint,
  }, expecting('a mapping with "table"')).prefault({}),
  sqs: z.strictObject({
    queue: text("an SQS queue name").refine((name) => name.endsWith(".fifo"), {
      error: (i) => `expected a FIFO queue name ending in ".fifo", got ${quote(i.input)}`,
    }).refine((name) => FIFO_QUEUE.test(name), {
      error: (i) =>
        `expected an SQS queue name of letters, digits, hyphens or underscores before ".fifo" (80 characters at most), got ${
          quote(i.input)
        }`,
      abort: true,
    }).optional(),
    endpoint,
  }, expecting('a mapping with "queue"')).prefault({}),
  sns: z.strictObject({
    topic: z.strictObject({
      arn: z.string(expecting("an SNS topic ARN")).regex(TOPIC_ARN, {
        error: (i) =>
          `expected an SNS FIFO topic ARN such as "arn:aws:sns:eu-central-1:123456789012:gitargus.fifo", got ${
            quote(i.input)
          }`,
      }).optional(),
    }, expecting('a mapping with "arn"')).prefault({}),
    endpoint,
  }, expecting('a mapping with "topic"')).prefault({}),
}, expecting("a mapping of AWS settings")).prefault({});

const daemon = z.strictObject({
  reconcileMinutes: wholeNumber(1, undefined, DEFAULT_DAEMON.reconcileMinutes),
  heartbeatSeconds: wholeNumber(5, undefined, DEFAULT_DAEMON.heartbeatSeconds),
  fetchTimeoutSeconds: wholeNumber(1, undefined, DEFAULT_DAEMON.fetchTimeoutSeconds),
  parallelism: wholeNumber(1, 64, DEFAULT_DAEMON.parallelism),
}, expecting("a mapping of daemon settings")).prefault({});

const onOff = () => z.boolean(expecting("true or false")).optional();
const NOTIFY = "false, true or a mapping of notification settings";

/** `notify: false` delivers nothing (items are still kept and listed); `kinds` switches single kinds off or on. */
const notify = z.union([
  z.boolean(expecting(NOTIFY)),
  z.strictObject({
    desktop: z.boolean(expecting("true or false")).default(DEFAULT_NOTIFY.desktop),
    command: text("a shell command").optional(),
    kinds: z.strictObject(
      Object.fromEntries(ITEM_KINDS.map((kind) => [kind, onOff()])) as Record<
        ItemKind,
        ReturnType<typeof onOff>
      >,
      expecting("a mapping of item kinds to true or false"),
    ).prefault({}),
    workAtRiskMinutes: wholeNumber(0, undefined, DEFAULT_NOTIFY.workAtRiskMinutes),
    awsUnreachableMinutes: wholeNumber(0, undefined, DEFAULT_NOTIFY.awsUnreachableMinutes),
    othersSeconds: wholeNumber(5, undefined, DEFAULT_NOTIFY.othersSeconds),
    timeoutSeconds: wholeNumber(1, 600, DEFAULT_NOTIFY.timeoutSeconds),
  }, expecting(NOTIFY)),
], expecting(NOTIFY)).prefault({});

const eventHook = z.strictObject({
  command: text("a shell command"),
  events: z.array(
    z.enum(HOOK_EVENTS, {
      error: (i) => `expected one of ${HOOK_EVENTS.join(", ")}, got ${describeValue(i.input)}`,
    }),
    expecting(`a list of events (${HOOK_EVENTS.join(", ")})`),
  ).min(1, { error: `expected at least one of ${HOOK_EVENTS.join(", ")}` }).default([...HOOK_EVENTS]),
  timeoutSeconds: wholeNumber(1, 3600, 10),
}, expecting('a mapping with "command"'));

export const DEFAULT_WIP = { maxFileSizeMB: 10, saveIdleMinutes: 0, saveOnStop: false } as const;

const wip = z.strictObject({
  maxFileSizeMB: wholeNumber(1, 2048, DEFAULT_WIP.maxFileSizeMB),
  saveIdleMinutes: wholeNumber(0, 7 * 24 * 60, DEFAULT_WIP.saveIdleMinutes),
  saveOnStop: z.boolean(expecting("true or false")).default(DEFAULT_WIP.saveOnStop),
}, expecting('a mapping of work-in-progress settings ("maxFileSizeMB", "saveIdleMinutes", "saveOnStop")'))
  .prefault({});

const hooks = z.strictObject({
  onEvent: z.array(eventHook, expecting("a list of event hooks")).default([]),
}, expecting('a mapping with "onEvent"')).prefault({});

export const configSchema = z.strictObject({
  hostname: matching("a host name", HOSTNAME, "up to 63 letters, digits, dots, hyphens or underscores")
    .optional(),
  root: text("an absolute directory path").refine(
    (path) => path.startsWith("/") || path === "~" || path.startsWith("~/"),
    { error: (i) => `expected an absolute path (or one starting with "~/"), got ${quote(i.input)}` },
  ),
  autoPull: autoPull.default(true),
  repositories: z.array(repositoryEntry, {
    error: (issue: { code?: string; input?: unknown }) =>
      issue.input === "shared"
        ? "a shared repository list is not supported: list the repositories, and bring the ones other machines " +
          "have with `gitargus clone --missing`"
        : expecting("a list of repository names").error(issue),
  }).default([]),
  timezone: z.string(expecting('an IANA time zone name such as "Europe/Budapest"')).refine(isValidTimeZone, {
    error: (i) => `unknown time zone ${quote(i.input)}; expected an IANA name such as "Europe/Budapest"`,
  }).optional(),
  aws,
  daemon,
  notify,
  hooks,
  wip,
  /** Obsolete: GitArgus ran Python helpers once. Accepted with any content so old files still load. */
  python: z.unknown().optional(),
}, expecting("a mapping of keys"));

/** What the file says, shape-checked, defaults filled in; paths not yet resolved. */
export type ConfigInput = z.output<typeof configSchema>;
export type RepositoryEntry = z.output<typeof repositoryEntry>;

/** Shape-checks `raw`. Throws a ConfigError for the problem that comes first in the file. */
export function validateConfig(raw: unknown, file: string, locate: Locate): ConfigInput {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => issueDetail(issue, raw, configSchema));
  const located = problems.map((problem) => ({ ...problem, line: lineNear(problem.path, locate) }));
  // Report the earliest line: people fix a file top to bottom. Problems with no line (a missing key) go last.
  located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const first = located[0]!;
  throw new ConfigError(file, first.detail, formatKeyPath(first.path), first.line, { cause: result.error });
}

/** Line of the key, or of the closest enclosing key that exists (for a missing key inside a mapping). */
function lineNear(path: KeyPath, locate: Locate): number | undefined {
  for (let length = path.length; length > 0; length--) {
    const line = locate(path.slice(0, length));
    if (line !== undefined) return line;
  }
  return undefined;
}
