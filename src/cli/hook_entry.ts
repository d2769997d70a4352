/**
 * The pre-push hook's entry point when GitArgus runs from source, built into one file by `deno task bundle`
 * (src/hook_bundle.ts says why and where). It serves the one command line the installed script runs it with;
 * the compiled binary, and every other command, start at main.ts.
 */

import { prePushArgs } from "./hook_args.ts";
import { prePushCommand } from "./commands/hook.ts";
import { closeLogging } from "../log/shutdown.ts";
import { error as printError } from "./output.ts";

if (import.meta.main) {
  const prePush = prePushArgs(Deno.args);
  let code = 2;
  if (prePush) code = await prePushCommand(prePush.globals, prePush.remote);
  else printError("this entry point runs `gitargus [--config FILE] hook pre-push <remote> [url]` only");
  await closeLogging();
  Deno.exit(code);
}
