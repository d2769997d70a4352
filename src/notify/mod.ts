/**
 * Delivery of attention notices: the desktop's own notifications (Linux `notify-send`, macOS `osascript`'s
 * `display notification`) and/or the user's `notify.command`, run by `sh` with the notice as JSON on stdin
 * and as GITARGUS_* variables. A delivery never throws and never holds up the daemon: failures are logged,
 * each kind of failure once until delivery works again.
 */

import type { Logger } from "../log/logger.ts";
import type { Delivery } from "../attention/quiet.ts";
import { programEnvironment, type RunProgram, runProgram, tail } from "../util/program.ts";
import { commandPayload, commandVariables, desktopMessage, type Message } from "./message.ts";

export interface NotifierOptions {
  desktop: boolean;
  command?: string | undefined;
  timeoutMs: number;
  log: Logger;
  os?: "linux" | "darwin";
  env?: (name: string) => string | undefined;
  run?: RunProgram;
}

/** The program and arguments that show `message` on this desktop. */
export function desktopArgv(os: "linux" | "darwin", message: Message): [string, string[]] {
  if (os === "darwin") {
    // Passed as arguments, never spliced into the script: a summary may hold quotes.
    const script = [
      "on run argv",
      "display notification (item 2 of argv) with title (item 1 of argv)",
      "end run",
    ];
    return ["osascript", [...script.flatMap((line) => ["-e", line]), message.title, message.body]];
  }
  return ["notify-send", ["--app-name=GitArgus", message.title, message.body]];
}

export class Notifier {
  readonly #failing = new Set<string>();
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: NotifierOptions) {}

  /** Queued behind the previous delivery, so notices keep their order; returns at once. */
  send(delivery: Delivery): void {
    this.#chain = this.#chain.then(() => this.#deliver(delivery));
  }

  /** Resolves when everything sent so far was delivered (or failed). */
  idle(): Promise<void> {
    return this.#chain;
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const { options } = this;
    const read = options.env ?? ((name: string) => Deno.env.get(name));
    const message = options.desktop ? desktopMessage(delivery) : null;
    if (message) {
      const [program, args] = desktopArgv(
        options.os ?? (Deno.build.os === "darwin" ? "darwin" : "linux"),
        message,
      );
      await this.#run("desktop", program, {
        program,
        args,
        env: programEnvironment(read),
        timeoutMs: options.timeoutMs,
      });
    }
    if (options.command) {
      await this.#run(`notify.command`, options.command, {
        program: "sh",
        args: ["-c", options.command],
        stdin: JSON.stringify(commandPayload(delivery)) + "\n",
        env: programEnvironment(read, commandVariables(delivery)),
        timeoutMs: options.timeoutMs,
      });
    }
  }

  async #run(what: string, shown: string, run: Parameters<RunProgram>[0]): Promise<void> {
    const { log } = this.options;
    let problem: string | null;
    try {
      const result = await (this.options.run ?? runProgram)(run);
      problem = result.code === null
        ? `killed after ${run.timeoutMs / 1000} s`
        : result.code !== 0
        ? `exit ${result.code}${result.stderr.trim() ? `: ${tail(result.stderr, 3)}` : ""}`
        : null;
      if (result.stdout.trim()) log.debug("{what} said: {output}", { what, output: tail(result.stdout) });
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem === null) {
      if (this.#failing.delete(what)) log.info("Notifications through {what} work again", { what });
      return;
    }
    const level = this.#failing.has(what) ? "debug" : "warn";
    this.#failing.add(what);
    const hint = what === "desktop" ? " (set notify.desktop: false on a machine without a desktop)" : "";
    log[level]("Cannot notify through {what} ({shown}): {problem}{hint}", { what, shown, problem, hint });
  }
}
