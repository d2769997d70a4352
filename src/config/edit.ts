/**
 * Writing the config: change a few keys in place, keeping the user's comments and layout, or render a new,
 * commented file for `gitargus init`. Writes are atomic so a crash never leaves half a file.
 */

import { isMap, isScalar, parseDocument, stringify } from "yaml";
import type { Document, Node } from "yaml";
import { ConfigError } from "../errors.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { type KeyPath, parseYaml } from "./source.ts";
import { DEFAULT_DAEMON, DEFAULT_TABLE, formatKeyPath } from "./defaults.ts";
import { configFromText } from "./load.ts";
import { realConfigFs } from "./resolve.ts";

export interface ConfigEdit {
  path: KeyPath;
  /** `undefined` removes the key. */
  value: unknown;
}

/** No folding of long values: a path or an ARN stays on one line. */
const TO_STRING = { lineWidth: 0 } as const;

/**
 * Sets (or, with `value: undefined`, removes) keys in the YAML file, creating it and its folder when missing.
 * Comments survive, and top-level keys whose value did not change keep their exact original text.
 */
export async function setConfigValues(file: string, values: readonly ConfigEdit[]): Promise<void> {
  const target = await writeTarget(file);
  const text = (await readIfPresent(target)) ?? "";
  const { doc } = parseYaml(text, file);
  const original = parseYaml(text, file).doc;
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    doc.contents = doc.createNode({});
  } else if (!isMap(doc.contents)) {
    throw new ConfigError(file, "cannot edit: the top level is not a mapping of keys", undefined, 1);
  }
  for (const { path, value } of values) {
    try {
      if (value === undefined) doc.deleteIn(path);
      else setValue(doc, path, value);
    } catch (error) {
      const detail = `cannot set the key: ${error instanceof Error ? error.message : String(error)}`;
      throw new ConfigError(file, detail, formatKeyPath(path), undefined, { cause: error });
    }
  }
  await writeAtomic(target, keepUnchangedText(text, original, doc.toString(TO_STRING)));
}

function setValue(doc: Document, path: KeyPath, value: unknown): void {
  // A key written with nothing after it (`aws:`) holds null; it becomes the collection the path needs.
  for (let length = 1; length < path.length; length++) {
    const parent = doc.getIn(path.slice(0, length), true);
    if (isScalar(parent) && parent.value === null) {
      doc.setIn(path.slice(0, length), doc.createNode(typeof path[length] === "number" ? [] : {}));
    }
  }
  const existing = doc.getIn(path, true);
  // Changing a scalar in place keeps its trailing comment and quoting style.
  if (isScalar(existing) && isScalarValue(value)) existing.value = value;
  else doc.setIn(path, doc.createNode(value));
}

function isScalarValue(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/**
 * Rendering normalizes spacing (`[a, b]` becomes `[ a, b ]`, indentation becomes two spaces). For each
 * top-level key whose value is the same as before, put back the text the user wrote.
 */
function keepUnchangedText(text: string, original: Document, rendered: string): string {
  const before = new Map(topLevelSpans(text, original).map((span) => [span.key, span]));
  let result = rendered;
  for (const span of topLevelSpans(rendered, parseDocument(rendered)).reverse()) {
    const kept = before.get(span.key);
    if (kept && kept.json === span.json) {
      result = result.slice(0, span.start) + kept.text + result.slice(span.end);
    }
  }
  return result;
}

interface Span {
  key: string;
  start: number;
  end: number;
  text: string;
  json: string;
}

/** Where each top-level `key: value` sits in `text`, from the key to the end of the value. */
function topLevelSpans(text: string, doc: Document): Span[] {
  const spans: Span[] = [];
  if (!isMap(doc.contents) || doc.contents.flow) return spans;
  for (const pair of doc.contents.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    const start = key?.range?.[0];
    const end = value?.range?.[1] ?? key?.range?.[1];
    if (!isScalar(key) || start === undefined || end === undefined) continue;
    const json = JSON.stringify(value?.toJSON() ?? null);
    spans.push({ key: String(key.value), start, end, text: text.slice(start, end), json });
  }
  return spans;
}

/** The file to write: the target of a symlinked config (dotfile managers), so the link survives. */
export async function writeTarget(file: string): Promise<string> {
  try {
    return await Deno.realPath(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return file;
    throw new ConfigError(file, `cannot resolve the file: ${String(error)}`, undefined, undefined, {
      cause: error,
    });
  }
}

/** The file's text, or undefined when there is no file. */
export async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    const reason = error instanceof Error ? error.message.split(":")[0] : String(error);
    throw new ConfigError(file, `cannot read the file: ${reason}`, undefined, undefined, { cause: error });
  }
}

/** Writes a temporary file beside `file` and renames it over, keeping the old file's permissions. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw new ConfigError(file, `cannot write the file: ${String(error)}`, undefined, undefined, {
      cause: error,
    });
  }
}

export interface NewConfigInput {
  hostname?: string;
  root: string;
  repositories: readonly string[];
  timezone?: string;
  autoPull?: boolean;
  aws?: { region?: string; table?: string; queue?: string; topicArn?: string };
  /** An `aws` block taken whole from the file being replaced (so `init` keeps what `setup-aws` recorded). */
  keptAws?: Record<string, unknown>;
}

/** A first config file, with a comment on each key so it can be edited by hand. */
export function renderNewConfig(input: NewConfigInput): string {
  const aws = input.aws ?? {};
  const lines = [
    "# GitArgus configuration.",
    "",
    ...(input.hostname !== undefined
      ? [
        "# Name of this machine in the shared status table (default: the OS host name).",
        `hostname: ${scalar(input.hostname)}`,
      ]
      : [
        "# Name of this machine in the shared status table (default: the OS host name).",
        "# hostname: my-laptop",
      ]),
    "",
    "# Folder that holds the repositories: absolute, or starting with ~/.",
    `root: ${scalar(input.root)}`,
    "",
    "# Fast-forward clean branches when their upstream moves: true (every branch), false, current (only the",
    '# checked-out branch), others (only the rest) or branch globs such as [main, "release/*"].',
    "# A repository entry may override it.",
    `autoPull: ${input.autoPull ?? true}`,
    "",
    "# Repositories relative to root, at any depth. An entry may also be",
    "#   { name: project/repo, autoPull: false }",
    ...(input.repositories.length === 0
      ? ["repositories: []"]
      : ["repositories:", ...input.repositories.map((name) => `  - ${scalar(name)}`)]),
    "",
    "# IANA time zone for displayed times (stored times are UTC).",
    input.timezone !== undefined ? `timezone: ${scalar(input.timezone)}` : "# timezone: Europe/Budapest",
    "",
    ...(input.keptAws !== undefined ? keptAwsLines(input.keptAws) : [
      "aws:",
      aws.region !== undefined ? `  region: ${scalar(aws.region)}` : "  # region: eu-central-1",
      "  # profile: default",
      "  # endpoint: http://localhost:4566   # emulators and LocalStack",
      "  dynamodb:",
      `    table: ${scalar(aws.table ?? DEFAULT_TABLE)}`,
      ...(aws.queue !== undefined
        ? ["  sqs:", `    queue: ${scalar(aws.queue)}`]
        : ["  # sqs:", "  #   queue: my-laptop.fifo"]),
      ...(aws.topicArn !== undefined
        ? ["  sns:", "    topic:", `      arn: ${scalar(aws.topicArn)}`]
        : ["  # sns:", "  #   topic:", "  #     arn: arn:aws:sns:eu-central-1:123456789012:gitargus.fifo"]),
    ]),
    "",
    "# Daemon timing; the values shown are the defaults.",
    "# daemon:",
    `#   reconcileMinutes: ${DEFAULT_DAEMON.reconcileMinutes}`,
    `#   heartbeatSeconds: ${DEFAULT_DAEMON.heartbeatSeconds}`,
    `#   fetchTimeoutSeconds: ${DEFAULT_DAEMON.fetchTimeoutSeconds}`,
    `#   parallelism: ${DEFAULT_DAEMON.parallelism}`,
  ];
  return lines.join("\n") + "\n";
}

function keptAwsLines(aws: Record<string, unknown>): string[] {
  return [
    "# AWS settings, kept from the previous file.",
    ...stringify({ aws }, TO_STRING).trimEnd().split("\n"),
  ];
}

/** A value as YAML writes it on one line, quoted only when it must be. */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** The text must load as the daemon will load it: a bad host name or kept aws block stops init here. */
export async function assertLoads(text: string, file: string, hostname: string): Promise<void> {
  try {
    await configFromText(text, file, {
      env: (name) => Deno.env.get(name),
      hostname: () => hostname,
      fs: realConfigFs,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(file, `${error.detail}; nothing was written`, error.keyPath, undefined, {
      cause: error,
    });
  }
}
