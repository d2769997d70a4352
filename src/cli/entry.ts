/**
 * Chooses how to run a command line. `hook pre-push` skips the command parser: it runs inside every
 * `git push`, where each millisecond of start-up is the user's.
 */

import { lazy } from "../lazy.ts";

export function isVerbose(argv: string[]): boolean {
  return argv.includes("-v") || argv.includes("--verbose");
}

export async function dispatch(argv: string[]): Promise<number> {
  if (
    argv[0] === "hook" && argv[1] === "pre-push" && argv.length <= 4 && argv[2] && !argv[2].startsWith("-")
  ) {
    const { prePushCommand } = await import("./commands/hook.ts");
    await prePushCommand({}, argv[2]);
    return 0;
  }
  const { runCli } = await lazy<typeof import("./mod.ts")>("cli");
  return await runCli(argv);
}
