/** The one place that turns an error into the line a user reads and an exit code. */

import { GitargusError } from "../errors.ts";
import { error as printError } from "./output.ts";

/**
 * Known errors print one line (with `--verbose`, their causes too) and give their exit code. Anything else is
 * a bug: it is re-thrown so that its stack trace reaches the report.
 */
export function reportError(error: unknown, verbose: boolean): number {
  if (!(error instanceof GitargusError)) throw error;
  printError(error.message);
  if (verbose) {
    for (let cause = error.cause; cause; cause = (cause as Error).cause) {
      printError(
        `  caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      );
    }
  }
  return error.exitCode;
}
