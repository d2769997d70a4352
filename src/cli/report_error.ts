/** The one place that turns an error into the line a user reads and an exit code. */

import { firstLine, GitargusError, ReportedError } from "../errors.ts";
import { error as printError, errorRaw, outputClosed } from "./output.ts";

/**
 * Known errors print one line (with `--verbose`, their causes too) and give their exit code. Anything else is
 * a bug or a refusal by the runtime (a permission): it too prints one line and exits 1, and `--verbose` shows
 * its stack for the report. A reader that closed the pipe (`| head`) ends the command quietly.
 */
export function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof Deno.errors.BrokenPipe && outputClosed()) return 0;
  if (error instanceof ReportedError) return error.exitCode;
  if (!(error instanceof GitargusError)) {
    printError(`Unexpected error: ${describe(error)}${verbose ? "" : " (run with --verbose for details)"}`);
    if (verbose && error instanceof Error && error.stack) errorRaw(`${error.stack}\n`);
  } else {
    printError(error.message);
  }
  if (verbose) {
    for (let cause = (error as Error | null)?.cause; cause; cause = (cause as Error).cause) {
      printError(`  caused by: ${describe(cause)}`);
    }
  }
  return error instanceof GitargusError ? error.exitCode : 1;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return firstLine(String(error)) || "no detail";
  return `${error.name}: ${firstLine(error.message) || "no detail"}`;
}
