import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { completionScript, type CompletionTree, isShell, SHELLS } from "../completion_scripts.ts";
import * as out from "../output.ts";

export function completionsCommand(program: CommandUnknownOpts, shell: string): void {
  if (!isShell(shell)) {
    throw new UsageError(`Unknown shell "${shell}"; completions exist for ${SHELLS.join(", ")}`);
  }
  out.raw(completionScript(shell, completionTree(program)));
}

/** The commands and options as `--help` shows them: hidden ones left out, `--help` itself included. */
export function completionTree(command: CommandUnknownOpts): CompletionTree {
  const help = command.createHelp();
  const options = help.visibleOptions(command);
  return {
    name: command.name(),
    description: command.description(),
    options: options.flatMap((option) => option.long ? [option.long] : []),
    valueOptions: options.filter((option) => option.required || option.optional)
      .flatMap((option) => [option.short, option.long].filter((flag) => flag !== undefined)),
    // `visibleCommands` adds the implicit `help` command; only the registered ones are completed.
    commands: help.visibleCommands(command).filter((child) => command.commands.includes(child))
      .map(completionTree),
  };
}
