/**
 * The log file, written through: each line reaches the kernel before the log call returns, so a line is on
 * disk at once and a daemon killed by SIGKILL (or the OOM killer) loses none of what it logged. No fsync:
 * that guards against a power cut only, and would cost a disk flush per line. The file rotates by size:
 * `gitargus.log` is the newest, `.1`, `.2`, … the older ones; the oldest falls off.
 */

import type { LogRecord, Sink } from "@logtape/logtape";

export interface RotationOptions {
  /** A file that would grow past this many bytes is rotated first. */
  maxBytes: number;
  /** Files kept in all, the current one included. */
  files: number;
  /** Told once per run of failures (a full disk); the line itself is dropped from the file only. */
  onError?: (error: Error) => void;
}

export class RotatingLogFile implements Disposable {
  #file: Deno.FsFile | null = null;
  #size = 0;
  #failing = false;
  readonly #encoder = new TextEncoder();

  constructor(readonly path: string, private readonly options: RotationOptions) {
    this.#file = this.#openFile();
  }

  write(text: string): void {
    const bytes = this.#encoder.encode(text);
    try {
      if (this.#size > 0 && this.#size + bytes.length > this.options.maxBytes) this.#rotate(bytes.length);
      this.#file ??= this.#openFile();
      writeAll(this.#file, bytes);
      this.#size += bytes.length;
      this.#failing = false;
    } catch (error) {
      // A later write may succeed (space freed): the file is reopened then.
      this.#closeQuietly();
      if (!this.#failing) this.options.onError?.(error as Error);
      this.#failing = true;
    }
  }

  [Symbol.dispose](): void {
    this.#closeQuietly();
  }

  #openFile(): Deno.FsFile {
    const file = Deno.openSync(this.path, { create: true, append: true, mode: 0o600 });
    this.#size = file.statSync().size;
    return file;
  }

  #rotate(incoming: number): void {
    this.#closeQuietly();
    // The pre-push hook appends to the same file: if it rotated meanwhile, the path is a fresh file already.
    const onDisk = sizeOf(this.path);
    if (onDisk !== null && onDisk < this.#size && onDisk + incoming <= this.options.maxBytes) {
      this.#file = this.#openFile();
      return;
    }
    for (let i = this.options.files - 1; i >= 1; i--) {
      const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
      try {
        Deno.renameSync(from, `${this.path}.${i}`);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    if (this.options.files <= 1) Deno.removeSync(this.path);
    this.#file = this.#openFile();
  }

  #closeQuietly(): void {
    try {
      this.#file?.close();
    } catch {
      // Already closed.
    }
    this.#file = null;
  }
}

/** A logtape sink writing formatted records through `file`. */
export function rotatingFileSink(
  file: RotatingLogFile,
  format: (record: LogRecord) => string,
): Sink & Disposable {
  const sink = (record: LogRecord) => file.write(format(record));
  return Object.assign(sink, { [Symbol.dispose]: () => file[Symbol.dispose]() });
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

function sizeOf(path: string): number | null {
  try {
    return Deno.statSync(path).size;
  } catch {
    return null;
  }
}
