/** `gitargus wip save|list|show|restore|drop`: carrying uncommitted work between machines. */

import type { Config } from "../../config/types.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { Outbox } from "../../events/outbox.ts";
import { createPublisher, createStore } from "../../aws/services.ts";
import { currentTime } from "../../util/clock.ts";
import { ReportedError } from "../../errors.ts";
import { requireMatch } from "../../report/filter.ts";
import { shellQuote } from "../../util/shell.ts";
import {
  type Announced,
  announceWip,
  applyRestore,
  type CarryDeps,
  describeSnapshot,
  dropSnapshot,
  findSnapshot,
  listedWip,
  planRestore,
  repositoriesToSave,
  restoreOntoBranch,
  saveWork,
  snapshotDiff,
  wipBranchName,
} from "../../wip/mod.ts";
import { type GlobalOptions, loadCliConfig, outboxPath } from "../context.ts";
import * as out from "../output.ts";
import { type Prompter, terminalPrompter } from "./init.ts";
import { describeFile, renderWipList, wipJson } from "../wip_view.ts";

function carryDeps(config: Config): CarryDeps {
  const now = currentTime;
  const outbox = new Outbox(outboxPath(config));
  return {
    config,
    runner: new DenoGitRunner({ parallelism: config.daemon.parallelism }),
    now,
    announce: (change) => announceWip({ publisher: () => createPublisher(config), outbox, now }, change),
  };
}

/** The snapshot a `HOST REPO [--branch B]` command line names, fetched into this clone. */
async function named(globals: GlobalOptions, host: string, repo: string, branch: string | undefined) {
  const deps = carryDeps(await loadCliConfig(globals));
  return { deps, found: await findSnapshot(deps, host, repo, branch) };
}

export async function wipSaveCommand(
  globals: GlobalOptions,
  names: string[],
  options: { force?: boolean },
): Promise<void> {
  const config = await loadCliConfig(globals);
  const deps = carryDeps(config);
  const repos = await repositoriesToSave(config, names, Deno.cwd());
  const quiet = names.length === 0 && repos.length > 1;
  let failed = 0;
  let nothing = 0;
  for (const repo of repos) {
    const saved = await saveWork(deps, repo, { force: options.force === true });
    switch (saved.kind) {
      case "saved":
        out.line(
          `Saved ${saved.repo}: ${plural(saved.files, "file")} of ${saved.branch} as ${
            saved.commit.slice(0, 7)
          }${announcement(saved.announced)}`,
        );
        break;
      case "nothing":
        nothing++;
        if (!quiet) out.line(`${saved.repo}: nothing to save`);
        break;
      case "refused":
        failed++;
        out.line(`${saved.repo}: not saved:`);
        for (const file of saved.refused) out.line(`  ${out.safe(file.path)}: ${file.reason}`);
        out.line("  pass --force to include them");
        break;
      case "failed":
        failed++;
        out.line(`${saved.repo}: not saved: ${saved.reason}`);
    }
  }
  if (quiet && nothing === repos.length) out.line("Nothing to save: no configured repository has changes");
  if (failed > 0) throw new ReportedError(`${plural(failed, "repository", "repositories")} not saved`);
}

function announcement(announced: Announced): string {
  if (announced.published) return "";
  return announced.queued
    ? ` (not announced yet: ${announced.reason}; the daemon sends it when AWS answers)`
    : ` (not announced: ${announced.reason})`;
}

export async function wipListCommand(globals: GlobalOptions, options: { json?: boolean; host?: string }) {
  const config = await loadCliConfig(globals);
  const snapshot = await (await createStore(config)).snapshot();
  requireMatch("host", options.host, snapshot.hosts.map((h) => h.hostname));
  const listed = listedWip(snapshot, options.host);
  if (options.json) out.json(wipJson(listed));
  else out.line(renderWipList(listed, currentTime(), out.palette()));
}

export async function wipShowCommand(
  globals: GlobalOptions,
  host: string,
  repo: string,
  options: { branch?: string },
): Promise<void> {
  const { deps, found } = await named(globals, host, repo, options.branch);
  const files = await describeSnapshot(deps.runner, found.location, found.commit);
  out.line(
    `Work in progress of ${found.repo.name} saved by ${host} on ${found.branch} (${
      found.commit.slice(0, 7)
    })`,
  );
  for (const file of files) out.line(`  ${describeFile(file)}`);
  out.line();
  out.raw(await snapshotDiff(deps.runner, found.location, found.commit));
}

export async function wipRestoreCommand(
  globals: GlobalOptions,
  host: string,
  repo: string,
  options: { branch?: string; newBranch?: boolean },
  prompter: Prompter = terminalPrompter,
): Promise<void> {
  const { deps, found } = await named(globals, host, repo, options.branch);
  const plan = await planRestore(deps.runner, found.location, found.commit);
  const drop = `gitargus wip drop ${shellQuote(host)} ${shellQuote(found.repo.name)}`;
  if (plan.safe) {
    await applyRestore(deps.runner, found.location, plan);
    out.line(
      `Restored ${found.repo.name} from ${host} (${found.branch}, ${plural(plan.paths.length, "file")}): ` +
        `uncommitted, as it was saved. Drop the snapshot with: ${drop}`,
    );
    return;
  }
  const branch = wipBranchName(host, found.branch);
  out.line(`Not restored into ${found.repo.name}, nothing was changed:`);
  for (const reason of plan.reasons) out.line(`  ${out.safe(reason)}`);
  const asked = !options.newBranch && prompter.isInteractive()
    ? /^y(es)?$/i.test(
      (await prompter.ask(
        `Put it on a new branch ${branch} instead (your worktree stays as it is)? [y/N] `,
      )) ?? "",
    )
    : false;
  if (!options.newBranch && !asked) {
    out.line(`Run it again with --new-branch to put it on branch ${branch} without touching your worktree.`);
    throw new ReportedError("restore refused");
  }
  await restoreOntoBranch(deps.runner, found.location, found.commit, branch);
  out.line(
    `Put ${host}'s work in progress of ${found.repo.name} on branch ${branch}: your worktree, index and ` +
      `HEAD are as they were. Drop the snapshot with: ${drop}`,
  );
}

export async function wipDropCommand(
  globals: GlobalOptions,
  host: string,
  repo: string,
  options: { branch?: string },
): Promise<void> {
  const { deps, found } = await named(globals, host, repo, options.branch);
  const announced = await dropSnapshot(deps, found);
  out.line(
    `Dropped ${host}'s work in progress of ${found.repo.name} (${found.branch})${announcement(announced)}`,
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
