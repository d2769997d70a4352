/**
 * `gitargus clone NAME…` / `gitargus clone --missing`: repositories other machines have, cloned to the same
 * path under this machine's root from the URL their records hold (never from a queue message), after saying
 * what will run and asking; then added to the config and given their pre-push hook.
 */

import { createStore } from "../../aws/services.ts";
import { addRepositories } from "../../config/repository_list.ts";
import { ReportedError, UsageError } from "../../errors.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { cloneArgs, planClones, type PlannedClone, runClone } from "../../clone/mod.ts";
import { shellQuote } from "../../util/shell.ts";
import { type GlobalOptions, loadCliConfig } from "../context.ts";
import * as out from "../output.ts";
import { type Prompter, terminalPrompter } from "./init.ts";
import { APPLIES, editConfig, hookOf } from "./repositories.ts";

export interface CloneOptions {
  missing?: boolean;
  yes?: boolean;
}

export async function cloneCommand(
  globals: GlobalOptions,
  names: string[],
  options: CloneOptions,
  prompter: Prompter = terminalPrompter,
): Promise<void> {
  if (names.length === 0 && !options.missing) {
    throw new UsageError(
      "name the repositories to clone, or pass --missing for every one this machine lacks",
    );
  }
  if (names.length > 0 && options.missing) {
    throw new UsageError("pass repository names or --missing, not both");
  }
  // Decided by the command line alone, before any AWS call.
  if (!options.yes && !prompter.isInteractive()) {
    throw new UsageError("cloning needs a confirmation: pass --yes when stdin is not a terminal");
  }
  const config = await loadCliConfig(globals);
  const snapshot = await (await createStore(config)).snapshot();
  const plan = await planClones(snapshot, config, options.missing ? "missing" : names);
  const refused = plan.filter((p) => !p.ok);
  for (const entry of refused) out.line(`${out.safe(entry.name)}: not cloned: ${out.safe(entry.reason)}`);
  const clones = plan.flatMap((p) => p.ok ? [p.clone] : []);
  if (clones.length === 0) {
    if (refused.length > 0) throw new ReportedError("nothing to clone");
    out.line("Nothing to clone: this machine has every repository the others recorded.");
    return;
  }
  out.line(`Will run, in ${config.root}:`);
  for (const clone of clones) out.line(`  ${describe(clone)}`);
  if (!options.yes) {
    const answer = await prompter.ask(`Clone ${plural(clones.length)}? [y/N] `);
    if (!/^y(es)?$/i.test(answer?.trim() ?? "")) {
      out.line("Nothing was cloned.");
      throw new ReportedError("not confirmed");
    }
  }
  const runner = new DenoGitRunner({ parallelism: config.daemon.parallelism });
  const cloned: PlannedClone[] = [];
  let failed = refused.length;
  for (const clone of clones) {
    const result = await runClone(runner, clone, config.root);
    if (result.ok) cloned.push(clone);
    else {
      failed++;
      out.line(`${clone.name}: clone failed: ${out.safe(result.reason)}`);
    }
  }
  if (cloned.length > 0) {
    const edit = await editConfig(
      config,
      (text) => addRepositories(text, config.file, cloned.map((c) => c.name)),
    );
    for (const clone of cloned) {
      const configured = edit.changed.includes(clone.name) ? "added to the config" : "already in the config";
      const hook = await hookOf(config, runner, clone.name);
      out.line(
        `Cloned ${clone.name} from ${
          clone.hosts[0]
        } into ${clone.path} (${configured}; pre-push hook: ${hook})`,
      );
    }
    out.line(APPLIES);
  }
  if (failed > 0) throw new ReportedError(`${plural(failed)} not cloned`);
}

function describe(clone: PlannedClone): string {
  const command = `git ${cloneArgs(clone).map(shellQuote).join(" ")}`;
  const from = `recorded by ${clone.hosts.join(", ")}`;
  const others = clone.otherUrls.length ? `; others recorded ${clone.otherUrls.join(", ")}` : "";
  return `${out.safe(command)}   (${out.safe(from + others)})`;
}

function plural(n: number): string {
  return `${n} ${n === 1 ? "repository" : "repositories"}`;
}
