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

export type { Logger };

export function logger(...category: string[]): Logger {
  return getLogger(["gitargus", ...category]);
}

export interface LoggingOptions {
  verbose: boolean;
  /** Log file path; omitted for short-lived commands that only need stderr. */
  file?: string;
  /** Lowest level printed on stderr (the hook prints nothing below warnings into `git push`). */
  stderrLevel?: LogLevel;
}

export async function setupLogging(options: LoggingOptions): Promise<void> {
  const level: LogLevel = options.verbose ? "debug" : "info";
  const sinks: Record<string, Sink> = {
    stderr: stderrSink(options.verbose ? "debug" : options.stderrLevel ?? level),
  };
  if (options.file) {
    try {
      await Deno.mkdir(dirname(options.file), { recursive: true });
      // Loaded only when a file is wanted: the library costs start-up time every command would pay.
      const { getRotatingFileSink } = await import("@logtape/file");
      sinks.file = getRotatingFileSink(options.file, { maxSize: 5 * 1024 * 1024, maxFiles: 3, formatter });
    } catch (error) {
      // A read-only home must not stop the daemon: stderr still reaches journald.
      writeStderr(`Cannot open log file "${options.file}": ${(error as Error).message}\n`);
    }
  }
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
