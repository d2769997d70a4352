/**
 * Logging: human-readable lines on stderr (journald keeps them) and in ~/.gitargus/gitargus.log, rotated.
 * Code logs through `logger(...)`; only the entry points call `setupLogging`.
 */

import {
  configure,
  dispose,
  getLogger,
  getTextFormatter,
  type Logger,
  type LogLevel,
  type LogRecord,
  type Sink,
} from "@logtape/logtape";
import { dirname } from "node:path";
import { onLoggingShutdown } from "./shutdown.ts";
import { escapeText } from "../util/escape.ts";
import { redactCredentials } from "../util/redact.ts";
import { rotatingFileSink, RotatingLogFile } from "./rotating_file.ts";

export type { Logger };

export function logger(...category: string[]): Logger {
  return getLogger(["gitargus", ...category]);
}

/** The log file rotates at 5 MB; three files are kept, the current one included. */
export const LOG_FILE_BYTES = 5 * 1024 * 1024;
export const LOG_FILES = 3;

export interface LoggingOptions {
  verbose: boolean;
  /** Log file path; omitted for short-lived commands that only need stderr. */
  file?: string;
  /** Lowest level printed on stderr (the hook prints nothing below warnings into `git push`). */
  stderrLevel?: LogLevel;
}

export async function setupLogging(options: LoggingOptions): Promise<void> {
  const level: LogLevel = options.verbose ? "debug" : "info";
  // The file comes first: a line printed on stderr is then in the file even if a SIGKILL falls in between.
  const sinks: Record<string, Sink> = {};
  if (options.file) {
    const path = options.file;
    try {
      await Deno.mkdir(dirname(path), { recursive: true });
      const file = new RotatingLogFile(path, {
        maxBytes: LOG_FILE_BYTES,
        files: LOG_FILES,
        onError: (error) => writeStderr(`Cannot write log file "${path}": ${error.message}\n`),
      });
      sinks.file = rotatingFileSink(file, formatter);
    } catch (error) {
      // A read-only home must not stop the daemon: stderr still reaches journald.
      writeStderr(`Cannot open log file "${path}": ${(error as Error).message}\n`);
    }
  }
  sinks.stderr = stderrSink(options.verbose ? "debug" : options.stderrLevel ?? level);
  onLoggingShutdown(dispose);
  await configure({
    reset: true,
    sinks,
    loggers: [
      { category: ["gitargus"], lowestLevel: level, sinks: Object.keys(sinks) },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}

/**
 * The one door every logged value passes: strings appear without quotes (a path or a git message is easier to
 * read so), but nothing from outside can end the line, forge the next one, drive the terminal or show a token
 * from a remote URL.
 */
export function formatValue(value: unknown, inspect: (value: unknown) => string): string {
  return escapeText(redactCredentials(typeof value === "string" ? value : inspect(value)));
}

const formatter = getTextFormatter({ value: formatValue });

function stderrSink(lowest: LogLevel): Sink {
  const order: LogLevel[] = ["trace", "debug", "info", "warning", "error", "fatal"];
  const min = order.indexOf(lowest);
  return (record: LogRecord) => {
    if (order.indexOf(record.level) < min) return;
    writeStderr(formatter(record));
  };
}

const encoder = new TextEncoder();
function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}
