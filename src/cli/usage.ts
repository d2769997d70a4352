/**
 * Usage errors as one line: commander's own messages (two lines, with its suggestion) rewritten, and the
 * command path of `gitargus help hooks install` looked up with a suggestion for a typo.
 */

import type { CommanderError } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { closest } from "../util/typo.ts";

/** Only what is read of a command here, so any commander command (typed or not) fits. */
export interface CommandNode {
  name(): string;
  aliases(): string[];
  readonly commands: readonly CommandNode[];
}

const SEE_HELP = " (see `gitargus --help`)";

/**
 * `error: unknown command 'stauts'\n(Did you mean status?)` becomes
 * `unknown command "stauts"; did you mean "status"?`; other messages keep their first line and the hint.
 */
export function usageMessage(error: Pick<CommanderError, "message" | "code">): string {
  const [first = "", ...rest] = error.message.replace(/^error: /, "").split("\n");
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join("\n"))?.[1];
  const text = first.replace(/'([^']*)'/, '"$1"');
  return suggestion ? `${text}; did you mean "${suggestion}"?` : `${text}${SEE_HELP}`;
}

/** The command `words` name below `root`: `["hooks", "install"]` is `gitargus hooks install`. */
export function findCommand<T extends CommandNode>(root: T, words: readonly string[]): T {
  let node: CommandNode = root;
  for (const [index, word] of words.entries()) {
    const next: CommandNode | undefined = node.commands.find((c) =>
      c.name() === word || c.aliases().includes(word)
    );
    if (!next) {
      const names = node.commands.map((c) => c.name());
      const suggestion = closest(word, names);
      const path = [...words.slice(0, index), ""].join(" ");
      throw new UsageError(
        suggestion
          ? `unknown command "${path}${word}"; did you mean "${path}${suggestion}"?`
          : `unknown command "${path}${word}"${SEE_HELP}`,
      );
    }
    node = next;
  }
  return node as T;
}

/** Global options that may come before the command, and whether they take a value. */
const GLOBAL_OPTIONS: Record<string, boolean> = {
  "-c": true,
  "--config": true,
  "-v": false,
  "--verbose": false,
};

/**
 * `gitargus [globals] help hooks install` as the argv of `gitargus [globals] hooks install --help`, so both
 * print the very same text; undefined when the command line is not a help request. Throws a UsageError
 * naming a word that is no command.
 */
export function helpAsOption(root: CommandNode, argv: readonly string[]): string[] | undefined {
  let at = 0;
  while (at < argv.length) {
    const word = argv[at]!;
    if (word.startsWith("--config=")) at += 1;
    else if (word in GLOBAL_OPTIONS) at += GLOBAL_OPTIONS[word] ? 2 : 1;
    else break;
  }
  if (argv[at] !== "help") return undefined;
  const words = argv.slice(at + 1).filter((word) => !word.startsWith("-"));
  findCommand(root, words);
  return [...argv.slice(0, at), ...words, "--help"];
}
