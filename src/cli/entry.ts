/**
 * Chooses how to run a command line. `hook pre-push` skips the command parser: it runs inside every
 * `git push`, where each millisecond of start-up is the user's. `hook publish`, which that hook's script
 * starts in the background, skips it too, loaded on demand so the hook does not load its modules.
 */

import { lazy } from "../lazy.ts";
import { plainStatus } from "./fast_status.ts";
import { prePushArgs, splitConfig } from "./hook_args.ts";

export function isVerbose(argv: string[]): boolean {
  return argv.includes("-v") || argv.includes("--verbose");
}

export async function dispatch(argv: string[]): Promise<number> {
  const prePush = prePushArgs(argv);
  if (prePush) {
    const { prePushCommand } = await import("./commands/hook.ts");
    return await prePushCommand(prePush.globals, prePush.remote);
  }
  const { globals, rest } = splitConfig(argv);
  if (rest.length === 2 && rest[0] === "hook" && rest[1] === "publish") {
    const { hookPublishCommand } = await lazy<typeof import("./commands/hook_publish.ts")>("hookPublish");
    await hookPublishCommand(globals);
    return 0;
  }
  // `leave --local` runs in a shell prompt, before every command line: it too skips the parser.
  if (rest.length === 2 && rest[0] === "leave" && rest[1] === "--local") {
    // Computed: a literal import would make every pre-push hook preload the modules of `leave` (src/lazy.ts).
    const { leaveCommand } = await lazy<typeof import("./commands/leave.ts")>("leave");
    await leaveCommand(globals, { local: true });
    return 0;
  }
  const status = plainStatus(rest);
  if (status) {
    const { statusCommand } = await lazy<typeof import("./commands/status.ts")>("status");
    await statusCommand(globals, status);
    return 0;
  }
  const { runCli } = await lazy<typeof import("./mod.ts")>("cli");
  return await runCli(argv);
}
