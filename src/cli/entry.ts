/**
 * Chooses how to run a command line. `hook pre-push` skips the command parser: it runs inside every
 * `git push`, where each millisecond of start-up is the user's.
 */

import { lazy } from "../lazy.ts";

export function isVerbose(argv: string[]): boolean {
  return argv.includes("-v") || argv.includes("--verbose");
}

export async function dispatch(argv: string[]): Promise<number> {
  // The hook of a config outside the default place is installed as `--config FILE hook pre-push ...`.
  const config = argv[0] === "--config" && argv[1] && !argv[1].startsWith("-") ? argv[1] : undefined;
  const rest = config === undefined ? argv : argv.slice(2);
  if (
    rest[0] === "hook" && rest[1] === "pre-push" && rest.length <= 4 && rest[2] && !rest[2].startsWith("-")
  ) {
    const { prePushCommand } = await import("./commands/hook.ts");
    await prePushCommand(config === undefined ? {} : { config }, rest[2]);
    return 0;
  }
  const { runCli } = await lazy<typeof import("./mod.ts")>("cli");
  return await runCli(argv);
}
