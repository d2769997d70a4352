/** `gitargus add PATH…` and `gitargus remove NAME…`: the repository list edited in place. */

import { basename, dirname, isAbsolute, relative, sep } from "node:path";
import { assertLoads, readIfPresent, writeAtomic, writeTarget } from "../../config/edit.ts";
import { addRepositories, type ListEdit, removeRepositories } from "../../config/repository_list.ts";
import type { Config } from "../../config/types.ts";
import { UsageError } from "../../errors.ts";
import { DenoGitRunner, type GitRunner } from "../../git/runner.ts";
import { locateRepository } from "../../git/repo.ts";
import { installHook } from "../../git/hooks.ts";
import { resolve } from "../../util/path.ts";
import { type GlobalOptions, hookCommands, loadCliConfig } from "../context.ts";
import * as out from "../output.ts";
import { hookFailure } from "./hooks.ts";

export const APPLIES = "A running daemon applies the change now.";

export async function addCommand(globals: GlobalOptions, paths: string[]): Promise<void> {
  const config = await loadCliConfig(globals);
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const names: string[] = [];
  // `add repo ./repo` names one repository twice: it is added, and reported, once.
  for (const path of paths) {
    const name = await repositoryName(config, runner, path);
    if (!names.includes(name)) names.push(name);
  }
  const edit = await editConfig(config, (text) => addRepositories(text, config.file, names));
  for (const name of edit.unchanged) out.line(`${name} is already configured`);
  for (const name of edit.changed) {
    out.line(`Added ${name} (pre-push hook: ${await hookOf(config, runner, name)})`);
  }
  if (edit.changed.length) out.line(APPLIES);
}

/**
 * Installs the pre-push hook of a repository just added to the config and says how that went. The name is in
 * the config by then: a hook that cannot be written is reported, and the add stands.
 */
export async function hookOf(config: Config, runner: GitRunner, name: string): Promise<string> {
  const command = await hookCommands(config);
  const found = await locateRepository(runner, { name, path: resolve(name, config.root), autoPull: true });
  if (!found.ok) return "not installed";
  return await installHook(runner, found.location, command).then(
    (installed) => installed.change,
    async (error) =>
      `not installed: ${await hookFailure(runner, found.location, command, error)}; ` +
      "fix that, then run `gitargus hooks install`",
  );
}

export async function removeCommand(globals: GlobalOptions, names: string[]): Promise<void> {
  const config = await loadCliConfig(globals);
  const edit = await editConfig(config, (text) => removeRepositories(text, config.file, names));
  for (const name of edit.changed) out.line(`Removed ${name} (its folder and hook are left as they are)`);
  out.line(APPLIES);
}

/** Validates the edited text as the daemon will load it before anything is written. */
export async function editConfig(config: Config, change: (text: string) => ListEdit): Promise<ListEdit> {
  const target = await writeTarget(config.file);
  const text = (await readIfPresent(target)) ?? "";
  const edit = change(text);
  if (edit.changed.length === 0) return edit;
  await assertLoads(edit.text, config.file, config.hostname);
  await writeAtomic(target, edit.text);
  return edit;
}

/** The configured name of the repository at `path`: its top level, relative to root, with forward slashes. */
async function repositoryName(config: Config, runner: GitRunner, path: string): Promise<string> {
  let real: string;
  try {
    real = await Deno.realPath(resolve(path));
  } catch {
    // The runtime hands over a name that is not UTF-8 with U+FFFD in place of its bytes: no such path exists.
    const why = path.includes("\uFFFD")
      ? "its name is not UTF-8 text, which a config cannot hold; rename the folder"
      : "it does not exist";
    throw new UsageError(`Cannot add "${path}": ${why}`);
  }
  const name = relative(config.root, real).split(sep).join("/");
  if (name === "") throw new UsageError(`Cannot add "${path}": it is the workspace root itself`);
  if (name === ".." || name.startsWith("../") || name.startsWith("/")) {
    throw new UsageError(`Cannot add "${path}": it is not inside the workspace root "${config.root}"`);
  }
  const found = await locateRepository(runner, { name, path: real, autoPull: true });
  if (!found.ok) throw new UsageError(`Cannot add "${path}": ${found.reason}`);
  const { gitDir, commonDir } = found.location;
  // A linked worktree shares its repository's refs and hook; that repository's status already lists it.
  if (gitDir !== commonDir) {
    const main = relative(config.root, dirname(commonDir)).split(sep).join("/");
    const underRoot = main !== "" && !main.startsWith("../") && !isAbsolute(main);
    const owner = basename(commonDir) === ".git" && underRoot ? main : dirname(commonDir);
    throw new UsageError(`Cannot add "${path}": it is a linked worktree of "${owner}"; add that repository`);
  }
  return name;
}
