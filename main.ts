/** Entry point: argv to the CLI, errors to one line and an exit code. The only place that exits. */

import { dispatch, isVerbose } from "./src/cli/entry.ts";
import { reportError } from "./src/cli/report_error.ts";
import { closeLogging } from "./src/log/shutdown.ts";

if (import.meta.main) {
  let code: number;
  try {
    code = await dispatch(Deno.args);
  } catch (error) {
    code = reportError(error, isVerbose(Deno.args));
  } finally {
    await closeLogging();
  }
  Deno.exit(code);
}
