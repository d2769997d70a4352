import { parse } from "yaml";
import { discoverRepositories } from "../../config/discover.ts";
import { assertLoads, readIfPresent, renderNewConfig, writeAtomic, writeTarget } from "../../config/edit.ts";
import { mergeFound } from "../../config/repository_list.ts";
import { configPathFrom, expandHome } from "../../config/paths.ts";
import { UsageError } from "../../errors.ts";
import { resolve } from "../../util/path.ts";
import { shellQuote } from "../../util/shell.ts";
import { env, type GlobalOptions } from "../context.ts";
import * as out from "../output.ts";

export interface InitOptions {
  root?: string;
  hostname?: string;
  depth: string;
  yes?: true;
  dryRun?: true;
}

/** The terminal, as `init` asks before overwriting a config. */
export interface Prompter {
  isInteractive(): boolean;
  /** Shows `question` and returns the line typed, or null at end of input. */
  ask(question: string): Promise<string | null>;
}

export const terminalPrompter: Prompter = {
  isInteractive: () => Deno.stdin.isTerminal(),
  async ask(question) {
    out.raw(question);
    return await readLine(Deno.stdin.readable);
  },
};

export async function initCommand(
  globals: GlobalOptions,
  options: InitOptions,
  prompter: Prompter = terminalPrompter,
): Promise<void> {
  const depth = parseDepth(options.depth);
  const root = await existingFolder(options.root ?? Deno.cwd());
  const file = configPathFrom({ ...(globals.config !== undefined ? { explicit: globals.config } : {}), env });
  const hostname = options.hostname ?? Deno.hostname();
  const existing = await readIfPresent(file);
  if (
    existing !== undefined && !options.yes && !options.dryRun && !(await confirmOverwrite(file, prompter))
  ) {
    out.line(`Left ${file} as it was.`);
    return;
  }

  const found = await discoverRepositories(root, depth);
  if (found.rootIsRepository) {
    out.error(
      `Root "${root}" is itself a git repository; it is not listed (names are relative to root). ` +
        "To track it, run init with its parent folder as --root",
    );
  }
  for (const { name, reason } of found.unreadable) out.error(`Skipped "${name}": cannot read it (${reason})`);
  for (const { name, of } of found.linkedWorktrees) {
    out.error(`Skipped "${name}": a linked worktree of "${of}", whose status lists it`);
  }

  const merged = existing === undefined ? null : mergeFound(existing, file, {
    root: homeRelative(root),
    hostname: options.hostname,
    repositories: found.repositories,
  });
  const keptAws = existing === undefined || merged ? undefined : awsBlock(existing, file);
  const text = merged?.text ?? renderNewConfig({
    hostname,
    root: homeRelative(root),
    repositories: found.repositories,
    ...(keptAws ? { keptAws } : {}),
  });
  await assertLoads(text, file, hostname);

  if (options.dryRun) {
    out.raw(text);
    return;
  }
  // A symlinked config (dotfile managers) is replaced at its target, so the link survives.
  await writeAtomic(await writeTarget(file), text);

  printWritten(
    {
      root,
      depth,
      repositories: found.repositories,
      file,
      kept: merged ? { added: merged.changed.length } : keptAws !== undefined ? "aws" : null,
    },
    globals,
  );
}

function printWritten(
  written: {
    root: string;
    depth: number;
    repositories: string[];
    file: string;
    /** What an existing config kept: everything (merged), only its aws block (it could not be edited), none. */
    kept: { added: number } | "aws" | null;
  },
  globals: GlobalOptions,
): void {
  const count = written.repositories.length;
  out.line(
    count === 0
      ? `Found no git repositories under ${written.root} (searched ${written.depth} level${
        written.depth === 1 ? "" : "s"
      } deep).`
      : `Found ${count} git ${count === 1 ? "repository" : "repositories"} under ${written.root}:`,
  );
  for (const name of written.repositories) out.line(`  ${name}`);
  const { kept } = written;
  out.line(
    kept === null
      ? `Wrote ${written.file}`
      : kept === "aws"
      ? `Wrote ${written.file} (kept its aws settings; the rest could not be read)`
      : `Updated ${written.file} (added ${kept.added} ${
        kept.added === 1 ? "repository" : "repositories"
      }; kept every other setting)`,
  );
  out.line();
  const self = globals.config ? `gitargus --config ${shellQuote(globals.config)}` : "gitargus";
  out.line("Next steps:");
  out.line(`  ${self} setup-aws                  create the AWS resources and record them in the config`);
  out.line(`  ${self} install-service --enable   run the daemon as a service`);
  out.line(`  ${self} status                     every machine's repositories`);
}

function parseDepth(value: string): number {
  const depth = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(depth >= 1)) throw new UsageError(`--depth expects a whole number of at least 1, got "${value}"`);
  return depth;
}

async function existingFolder(given: string): Promise<string> {
  const expanded = expandHome(given, env("HOME") || undefined);
  if (expanded === undefined) throw new UsageError(`Cannot expand "${given}" because HOME is not set`);
  const path = resolve(expanded);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new UsageError(`Root folder "${path}" does not exist`);
    throw new UsageError(`Cannot read root folder "${path}": ${String(error)}`, { cause: error });
  }
  if (!info.isDirectory) throw new UsageError(`Root "${path}" is not a folder`);
  return path;
}

/** `~/...` for a root inside HOME, so the same file reads right for another user name. */
function homeRelative(path: string): string {
  const home = env("HOME")?.replace(/\/+$/, "");
  if (!home) return path;
  if (path === home) return "~";
  return path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : path;
}

/**
 * The `aws` mapping of the file being replaced, so re-running init after setup-aws keeps the topic ARN and
 * queue. Only the YAML is read: the rest of an old file may be invalid, which is why init is run again.
 */
function awsBlock(text: string, file: string): Record<string, unknown> | undefined {
  let aws: unknown;
  try {
    aws = (parse(text) as { aws?: unknown } | null)?.aws;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    out.error(`Cannot parse "${file}" (${reason}); its aws settings are not kept`);
    return undefined;
  }
  if (typeof aws !== "object" || aws === null || Array.isArray(aws)) return undefined;
  return Object.keys(aws).length > 0 ? aws as Record<string, unknown> : undefined;
}

async function confirmOverwrite(file: string, prompter: Prompter): Promise<boolean> {
  if (!prompter.isInteractive()) {
    throw new UsageError(`Config "${file}" exists; pass --yes to add the repositories found to it`);
  }
  const answer = await prompter.ask(`Update ${file} with the repositories found? [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer ?? "");
}

/** One line from a stream, without its line break; null when the stream ends first with nothing read. */
async function readLine(stream: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) return text === "" ? null : text;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text.slice(0, text.indexOf("\n")).replace(/\r$/, "");
}
