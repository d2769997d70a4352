/**
 * From what the file says to the Config the program uses: root checked on disk and made real, repository
 * names normalized and kept inside root, defaults filled in. A repository that does not exist is fine here:
 * the daemon reports it as missing.
 */

import * as localFs from "../util/local_fs.ts";
import { dirname, isAbsolute, join, posix, relative, sep } from "node:path";
import { ConfigError } from "../errors.ts";
import type { AwsConfig, Config, NotifyConfig, RepositoryConfig } from "./types.ts";
import type { ConfigInput } from "./schema.ts";
import { DEFAULT_NOTIFY, formatKeyPath } from "./defaults.ts";
import { ITEM_KINDS } from "../state/attention_item.ts";
import type { KeyPath, Locate } from "./source.ts";
import { expandHome } from "./paths.ts";

/** The filesystem as resolution needs it. */
export interface ConfigFs {
  realPath(path: string): Promise<string>;
  /** null when nothing is at `path` (following symlinks). */
  stat(path: string): Promise<{ isDirectory: boolean } | null>;
}

export const realConfigFs: ConfigFs = {
  realPath: (path) => localFs.realPath(path),
  async stat(path) {
    try {
      const info = await localFs.stat(path);
      return { isDirectory: info.isDirectory };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return null;
      throw error;
    }
  },
};

export const PYTHON_NOTICE = 'The "python" key is obsolete and ignored: GitArgus no longer needs Python.';

export interface ResolveContext {
  file: string;
  locate: Locate;
  home: string | undefined;
  hostname: () => string;
  fs: ConfigFs;
}

export async function resolveConfig(input: ConfigInput, context: ResolveContext): Promise<Config> {
  const fail = (path: KeyPath, detail: string): never => {
    throw new ConfigError(context.file, detail, formatKeyPath(path), context.locate(path));
  };
  const root = await resolveRoot(input.root, context, fail);
  const repositories: RepositoryConfig[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of input.repositories.entries()) {
    const at = typeof entry === "string" ? ["repositories", index] : ["repositories", index, "name"];
    const given = typeof entry === "string" ? entry : entry.name;
    const name = await repositoryName(given, root, context, (detail) => fail(at, detail));
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      fail(at, `repository "${name}" is listed twice (also at repositories[${earlier}])`);
    }
    seen.set(name, index);
    const autoPull = typeof entry === "string" ? input.autoPull : entry.autoPull ?? input.autoPull;
    repositories.push({ name, path: join(root.real, name), autoPull });
  }
  return {
    file: context.file,
    hostname: input.hostname ?? context.hostname(),
    root: root.real,
    repositories,
    ...(input.timezone !== undefined && { timezone: input.timezone }),
    autoPull: input.autoPull,
    aws: awsConfig(input.aws),
    daemon: { ...input.daemon },
    notify: notifyConfig(input.notify),
    eventHooks: input.hooks.onEvent.map((hook) => ({ ...hook, events: [...new Set(hook.events)] })),
    wip: { ...input.wip },
    notices: input.python !== undefined ? [PYTHON_NOTICE] : [],
  };
}

interface Root {
  /** As written, with `~` expanded. */
  given: string;
  /** Symlinks resolved. */
  real: string;
}

async function resolveRoot(
  written: string,
  context: ResolveContext,
  fail: (path: KeyPath, detail: string) => never,
): Promise<Root> {
  const given = expandHome(written, context.home);
  if (given === undefined) return fail(["root"], `cannot expand "${written}" because HOME is not set`);
  if (!isAbsolute(given)) return fail(["root"], `expected an absolute path, got "${written}"`);
  const info = await context.fs.stat(given);
  if (info === null) return fail(["root"], `root directory "${given}" does not exist`);
  if (!info.isDirectory) return fail(["root"], `root "${given}" is not a directory`);
  return { given, real: await context.fs.realPath(given) };
}

/**
 * The name relative to root, with forward slashes and no `./` or trailing slash. An absolute path inside root
 * becomes its relative name. A name that leaves root, by `..` or through a symlink, is refused.
 */
async function repositoryName(
  written: string,
  root: Root,
  context: ResolveContext,
  fail: (detail: string) => never,
): Promise<string> {
  const slashed = written.trim().replaceAll("\\", "/");
  const expanded = expandHome(slashed, context.home);
  if (expanded === undefined) return fail(`cannot expand "${written}" because HOME is not set`);
  let name: string;
  if (isAbsolute(expanded)) {
    const inside = [root.given, root.real].map((base) => insideName(base, expanded)).find((n) =>
      n !== undefined
    );
    if (inside === undefined) return fail(`repository "${written}" is outside root "${root.given}"`);
    name = inside;
  } else {
    name = posix.normalize(expanded).replace(/\/+$/, "");
  }
  if (name === "" || name === ".") return fail(`repository name "${written}" is empty or names root itself`);
  if (name === ".." || name.startsWith("../")) {
    return fail(`repository "${written}" is outside root "${root.real}"`);
  }
  const real = await realPathOfNearest(join(root.real, name), context.fs);
  if (insideName(root.real, real) === undefined) {
    return fail(`repository "${written}" resolves to "${real}", outside root "${root.real}"`);
  }
  return name;
}

/** `path` relative to `base` with forward slashes, or undefined when it is not strictly inside `base`. */
function insideName(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * The real path of `path`, or, when it does not exist yet, of its nearest existing ancestor with the rest
 * appended: a symlinked parent folder still counts even before the repository is cloned.
 */
async function realPathOfNearest(path: string, fs: ConfigFs): Promise<string> {
  const missing: string[] = [];
  let current = path;
  while (true) {
    if (await fs.stat(current) !== null) return join(await fs.realPath(current), ...missing.reverse());
    const parent = dirname(current);
    if (parent === current) return path;
    missing.push(current.slice(parent.length).replace(/^\//, ""));
    current = parent;
  }
}

function awsConfig(input: ConfigInput["aws"]): AwsConfig {
  const { dynamodb, sqs, sns } = input;
  return {
    ...(input.region !== undefined && { region: input.region }),
    ...(input.profile !== undefined && { profile: input.profile }),
    ...(input.endpoint !== undefined && { endpoint: input.endpoint }),
    dynamodb: {
      table: dynamodb.table,
      ...(dynamodb.endpoint !== undefined && { endpoint: dynamodb.endpoint }),
    },
    sqs: {
      ...(sqs.queue !== undefined && { queue: sqs.queue }),
      ...(sqs.endpoint !== undefined && { endpoint: sqs.endpoint }),
    },
    sns: {
      topic: sns.topic.arn !== undefined ? { arn: sns.topic.arn } : {},
      ...(sns.endpoint !== undefined && { endpoint: sns.endpoint }),
    },
  };
}

/** Every kind is on except `fastForwarded`, which would tell of every push the daemon applies. */
export function notifyConfig(input: ConfigInput["notify"]): NotifyConfig {
  const given = typeof input === "boolean" ? { ...DEFAULT_NOTIFY, kinds: {} } : input;
  const kinds = Object.fromEntries(
    ITEM_KINDS.map((kind) => [kind, given.kinds[kind] ?? kind !== "fastForwarded"]),
  ) as NotifyConfig["kinds"];
  const { command, desktop, workAtRiskMinutes, awsUnreachableMinutes, othersSeconds, timeoutSeconds } =
    given as
      & typeof DEFAULT_NOTIFY
      & { command?: string };
  return {
    enabled: input !== false,
    desktop,
    ...(command !== undefined && { command }),
    kinds,
    workAtRiskMinutes,
    awsUnreachableMinutes,
    othersSeconds,
    timeoutSeconds,
  };
}
