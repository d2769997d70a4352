import type { Config } from "../../config/types.ts";
import type { GlobalOptions } from "../context.ts";
import { hookCommand, loadCliConfig } from "../context.ts";
import { DenoGitRunner, type GitRunner } from "../../git/runner.ts";
import { locateRepository } from "../../git/repo.ts";
import { hookState, installHook, uninstallHook } from "../../git/hooks.ts";
import type { Logger } from "../../log/logger.ts";
import { matchesRepo } from "../../config/repository_name.ts";
import { requireMatch } from "../../report/filter.ts";
import * as out from "../output.ts";
import { GitargusError } from "../../errors.ts";

type Action = "install" | "uninstall" | "status";

export async function hooksCommand(
  globals: GlobalOptions,
  action: Action,
  options: { repo?: string },
): Promise<void> {
  const config = await loadCliConfig(globals);
  requireMatch("repository", options.repo, config.repositories.map((r) => r.name));
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const command = hookCommand(config);
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
      const { change, state } = await installHook(runner, found.location, command);
      if (change === "refused") problems++;
      const detail = state.kind === "unsupported" ? state.reason : state.file;
      rows.push([repo.name, change === "refused" ? paint.red(change) : change, detail]);
    } else if (action === "uninstall") {
      rows.push([repo.name, await uninstallHook(runner, found.location, command), ""]);
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
  if (problems > 0 && action !== "uninstall") {
    throw new GitargusError(`${problems} repositories have no working pre-push hook`);
  }
}

/** At daemon start: make sure every repository announces its pushes; a failure is logged, never fatal. */
export async function installHooks(config: Config, runner: GitRunner, log: Logger): Promise<void> {
  const command = hookCommand(config);
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
