/** The only module that writes to the console: plain lines, JSON, tables and colors. */

import { escapeText } from "../util/escape.ts";
import { redactCredentials } from "../util/redact.ts";

const encoder = new TextEncoder();

type Stream = { writeSync(p: Uint8Array): number };

/** Streams whose reader went away: `gitargus status | head -1` closes stdout after one line. */
const closed = new Set<Stream>();

/**
 * A reader that stopped reading (`| head`) is not an error: what is left is dropped and the command ends
 * as it would have, with its own exit code and no stack trace.
 */
function write(stream: Stream, text: string): void {
  if (closed.has(stream)) return;
  const bytes = encoder.encode(text);
  let written = 0;
  try {
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    closed.add(stream);
  }
}

/** True once a write found stdout or stderr closed by its reader. */
export function outputClosed(): boolean {
  return closed.size > 0;
}

export function line(text = ""): void {
  write(Deno.stdout, text + "\n");
}

export function raw(text: string): void {
  write(Deno.stdout, text);
}

export function json(value: unknown): void {
  line(JSON.stringify(value, null, 2));
}

/** One line on stderr, prefixed with the program name; it stays one line whatever the message quotes. */
export function error(text: string): void {
  write(Deno.stderr, `gitargus: ${safe(text)}\n`);
}

/**
 * Text from outside (names from any machine's records, git's messages) as a terminal may show it: control
 * characters and escape sequences visible as escapes, credentials in URLs hidden. Views pass every such value
 * through here before coloring it; JSON output needs nothing, JSON escapes by itself.
 */
export function safe(text: string): string {
  return escapeText(redactCredentials(text));
}

export function errorRaw(text: string): void {
  write(Deno.stderr, text);
}

/** The terminal's width when stdout is one; undefined when piped, so scripts get whole lines. */
export function terminalColumns(): number | undefined {
  if (!Deno.stdout.isTerminal()) return undefined;
  try {
    return Deno.consoleSize().columns;
  } catch {
    return undefined;
  }
}

export type Paint = (text: string) => string;

export interface Palette {
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
}

/** Colors only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function palette(stream: "stdout" | "stderr" = "stdout"): Palette {
  const enabled = !Deno.env.get("NO_COLOR") &&
    (Deno.env.get("FORCE_COLOR") !== undefined ||
      (stream === "stdout" ? Deno.stdout : Deno.stderr).isTerminal());
  const code = (open: number, close: number): Paint => (text) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    red: code(31, 39),
    green: code(32, 39),
    yellow: code(33, 39),
    cyan: code(36, 39),
    dim: code(2, 22),
    bold: code(1, 22),
  };
}

/**
 * Left-aligned columns; cells may carry color codes, which do not count toward the width. With `maxWidth`,
 * the last column (free text) is cut to fit so each row stays one terminal line.
 */
export function table(header: string[], body: string[][], paint: Palette, maxWidth?: number): string {
  // deno-lint-ignore no-control-regex
  const visible = (cell: string) => [...cell.replace(/\x1b\[[0-9;]*m/g, "")].length;
  const widths = header.map((h, i) => Math.max(visible(h), ...body.map((r) => visible(r[i] ?? ""))));
  const lastStart = widths.slice(0, -1).reduce((n, w) => n + w + 2, 0);
  const room = maxWidth === undefined ? Infinity : Math.max(MIN_LAST_COLUMN, maxWidth - lastStart);
  const render = (cells: string[]) =>
    cells.map((cell, i) =>
      i === cells.length - 1 ? cut(cell, room) : cell + " ".repeat(widths[i]! - visible(cell))
    )
      .join("  ")
      .trimEnd();
  return [paint.bold(render(header)), ...body.map(render)].join("\n");
}

const MIN_LAST_COLUMN = 12;

function cut(text: string, room: number): string {
  const chars = [...text];
  return chars.length <= room ? text : chars.slice(0, room - 1).join("") + "…";
}
