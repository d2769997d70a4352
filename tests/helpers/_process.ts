/** Child-process plumbing shared by the emulator and CLI helpers: line capture with waits, and stopping. */

export type StreamName = "stdout" | "stderr";

export interface OutputLine {
  stream: StreamName;
  text: string;
}

/**
 * Every line a child writes to stdout and stderr, in arrival order, kept for the whole run. A wait looks at
 * the lines already kept as well as new ones, so a line that arrived before the wait began still counts.
 */
export class OutputLog {
  readonly #lines: OutputLine[] = [];
  readonly #listeners = new Set<() => void>();
  #ended = false;
  /** Settles when both streams have ended. */
  readonly ended: Promise<void>;

  constructor(streams: Record<StreamName, ReadableStream<Uint8Array>>) {
    this.ended = Promise.all([this.#read("stdout", streams.stdout), this.#read("stderr", streams.stderr)])
      .then(() => {
        this.#ended = true;
        this.#notify();
      });
  }

  lines(): readonly OutputLine[] {
    return this.#lines;
  }

  text(stream?: StreamName): string {
    return this.#lines.filter((line) => !stream || line.stream === stream).map((line) => line.text + "\n")
      .join("");
  }

  /**
   * The first line from index `fromLine` on that `match` accepts. Rejects when both streams end first or
   * when `timeoutMs` passes; `what` names the awaited line in those messages.
   */
  waitForLine(
    what: string,
    match: (line: OutputLine) => boolean,
    timeoutMs: number,
    fromLine = 0,
  ): Promise<{ line: OutputLine; index: number }> {
    return new Promise((resolve, reject) => {
      let next = fromLine;
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        outcome();
      };
      const check = () => {
        for (; next < this.#lines.length; next++) {
          const line = this.#lines[next]!;
          if (match(line)) return finish(() => resolve({ line, index: next }));
        }
        if (this.#ended) {
          finish(() => reject(new Error(`Output ended before ${what}${this.tail()}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`No ${what} within ${timeoutMs} ms${this.tail()}`))),
        timeoutMs,
      );
      this.#listeners.add(check);
      check();
    });
  }

  /** "; last output:" and the last 20 lines, for a message about this child. */
  tail(): string {
    const tail = this.#lines.slice(-20).map((line) => `  ${line.stream}: ${line.text}`);
    return tail.length ? `; last output:\n${tail.join("\n")}` : "; no output";
  }

  async #read(stream: StreamName, source: ReadableStream<Uint8Array>): Promise<void> {
    let partial = "";
    try {
      for await (const chunk of source.pipeThrough(new TextDecoderStream())) {
        const parts = (partial + chunk).split("\n");
        partial = parts.pop()!;
        for (const text of parts) this.#push(stream, text);
      }
    } catch {
      // A stream cut off by a killed child ends like any other.
    }
    if (partial) this.#push(stream, partial);
  }

  #push(stream: StreamName, text: string): void {
    this.#lines.push({ stream, text: text.endsWith("\r") ? text.slice(0, -1) : text });
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Sends `signal`, then SIGKILL if the child is still running after `graceMs`. Returns the exit code. */
export async function stopChild(
  child: Deno.ChildProcess,
  signal: Deno.Signal = "SIGTERM",
  graceMs = 5_000,
): Promise<number> {
  try {
    child.kill(signal);
  } catch {
    // Already exited.
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  const outcome = await Promise.race([child.status, grace]);
  clearTimeout(timer);
  if (outcome !== "timeout") return outcome.code;
  try {
    child.kill("SIGKILL");
  } catch {
    // Exited in between.
  }
  return (await child.status).code;
}
