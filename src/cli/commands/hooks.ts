import type { Config } from "../../config/types.ts";
import type { GlobalOptions } from "../context.ts";
import { hookCommands, loadCliConfig } from "../context.ts";
import { DenoGitRunner, type GitRunner } from "../../git/runner.ts";
import { locateRepository, type RepoLocation } from "../../git/repo.ts";
import { type HookCommands, hookState, installHook, uninstallHook } from "../../git/hooks.ts";
import type { Logger } from "../../log/logger.ts";
import { matchesRepo } from "../../config/repository_name.ts";
import { requireMatch } from "../../report/filter.ts";
import * as out from "../output.ts";
import { GitargusError, systemReason } from "../../errors.ts";

type Action = "install" | "uninstall" | "status";

export async function hooksCommand(
  globals: GlobalOptions,
  action: Action,
  options: { repo?: string },
): Promise<void> {
  const config = await loadCliConfig(globals);
  requireMatch("repository", options.repo, config.repositories.map((r) => r.name));
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const command = await hookCommands(config);
  const paint = out.palette();
  const rows: string[][] = [];
  let problems = 0;
  for (const repo of config.repositories.filter((r) => matchesRepo(r.name, options.repo))) {
    const found = await locateRepository(runner, repo);
    if (!found.ok) {
      rows.push([repo.name, paint.yellow("missing"), found.reason]);
      continue;
    }
    if (action === "install") {
      const installed = await installHook(runner, found.location, command).catch(async (error) => {
        problems++;
        rows.push([
          repo.name,
          paint.red("failed"),
          await hookFailure(runner, found.location, command, error),
        ]);
        return null;
      });
      if (!installed) continue;
      const { change, state } = installed;
      if (change === "refused") problems++;
      const detail = state.kind === "unsupported" ? state.reason : state.file;
      rows.push([repo.name, change === "refused" ? paint.red(change) : change, detail]);
    } else if (action === "uninstall") {
      const change = await uninstallHook(runner, found.location, command).catch(async (error) => {
        problems++;
        return [paint.red("failed"), await hookFailure(runner, found.location, command, error)];
      });
      rows.push([repo.name, ...(typeof change === "string" ? [change, ""] : change)]);
    } else {
      const state = await hookState(runner, found.location, command);
      if (state.kind !== "installed") problems++;
      const chained = "chained" in state && state.chained ? " (chained to the previous hook)" : "";
      const detail = state.kind === "unsupported" ? state.reason : state.file + chained;
      rows.push([
        repo.name,
        state.kind === "installed" ? paint.green(state.kind) : paint.yellow(state.kind),
        detail,
      ]);
    }
  }
  out.line(out.table(["REPOSITORY", "HOOK", "DETAIL"], rows, paint));
  if (problems > 0) {
    const count = problems === 1 ? "1 repository has" : `${problems} repositories have`;
    throw new GitargusError(
      action === "uninstall"
        ? `${count} a hook that could not be removed`
        : `${count} no working pre-push hook`,
    );
  }
}

/**
 * One line for a hook that could not be written or removed (a read-only hooks folder, a file where the folder
 * should be), naming the hook's path rather than the temporary file the system call named.
 */
export async function hookFailure(
  runner: GitRunner,
  location: RepoLocation,
  command: HookCommands,
  error: unknown,
): Promise<string> {
  const file = await hookState(runner, location, command).then((state) => state.file, () => "pre-push");
  return `cannot write "${file}": ${systemReason(error)}`;
}

/** At daemon start: make sure every repository announces its pushes; a failure is logged, never fatal. */
export async function installHooks(config: Config, runner: GitRunner, log: Logger): Promise<void> {
  const command = await hookCommands(config);
  await Promise.all(config.repositories.map(async (repo) => {
    try {
      const found = await locateRepository(runner, repo);
      if (!found.ok) return;
      const { change, state } = await installHook(runner, found.location, command);
      if (change === "installed" || change === "updated") {
        log.info("Hook {change} in {name}", { change, name: repo.name });
      }
      if (change === "refused" && state.kind === "unsupported") {
        log.warn("No hook in {name}: {reason}", { name: repo.name, reason: state.reason });
      }
    } catch (error) {
      log.warn("Cannot install the hook in {name}: {error}", {
        name: repo.name,
        error: (error as Error).message,
      });
    }
  }));
}
