/**
 * The command lines that skip the command parser, recognised without loading it: `[--config FILE]` first (the
 * hook of a config outside the default place is installed as `--config FILE hook pre-push ...`), then the
 * command's own words.
 */

import type { GlobalOptions } from "./context.ts";

export function splitConfig(argv: readonly string[]): { globals: GlobalOptions; rest: readonly string[] } {
  const config = argv[0] === "--config" && argv[1] && !argv[1].startsWith("-") ? argv[1] : undefined;
  return config === undefined ? { globals: {}, rest: argv } : { globals: { config }, rest: argv.slice(2) };
}

/** `hook pre-push <remote> [url]`, as the installed hook runs it; null for any other command line. */
export function prePushArgs(argv: readonly string[]): { globals: GlobalOptions; remote: string } | null {
  const { globals, rest } = splitConfig(argv);
  const remote = rest[2];
  if (rest[0] !== "hook" || rest[1] !== "pre-push" || rest.length > 4 || !remote || remote.startsWith("-")) {
    return null;
  }
  return { globals, remote };
}
