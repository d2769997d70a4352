/**
 * `hooks.onEvent`: the user's commands, run after the daemon fast-forwarded a repository, after a push event
 * arrived, and when an attention item is raised, changes or clears. As git-sync's exechook does it: the event
 * as JSON on stdin, a timeout, the output in the log, failures reported. The daemon never waits for a hook:
 * events go into a bounded queue that one runner works through beside the daemon's own work; when the queue
 * is full the oldest event is dropped, with one warning per overflow.
 */

import type { Logger } from "../log/logger.ts";
import type { AttentionItem } from "../state/attention_item.ts";
import { programEnvironment, type RunProgram, runProgram, tail } from "../util/program.ts";

export const HOOK_EVENTS = ["fast-forwarded", "push", "attention"] as const;
export type HookEventType = typeof HOOK_EVENTS[number];

export interface EventHookConfig {
  command: string;
  events: HookEventType[];
  timeoutSeconds: number;
}

interface EventBase {
  v: 1;
  /** The machine whose daemon ran the hook. */
  host: string;
  at: string;
}

export type HookEvent =
  | EventBase & {
    type: "fast-forwarded";
    repository: string;
    path: string;
    branch: string | null;
    head: string | null;
    reason?: string;
  }
  | EventBase & {
    type: "push";
    repository: string;
    source: string;
    remote: string;
    refs: Array<{ ref: string; sha: string }>;
  }
  | EventBase & { type: "attention"; change: "raised" | "changed" | "cleared"; item: AttentionItem };

/** Events waiting at most; a hook slower than events arrive loses the oldest, never the daemon's time. */
export const QUEUE_CAPACITY = 100;
/** How long a stopping daemon gives the queue to run out. */
export const DRAIN_MS = 30_000;

interface Job {
  hook: EventHookConfig;
  event: HookEvent;
}

export interface EventHooksOptions {
  hooks: readonly EventHookConfig[];
  log: Logger;
  env?: (name: string) => string | undefined;
  run?: RunProgram;
  capacity?: number;
}

export class EventHooks {
  readonly #queue: Job[] = [];
  #running: Promise<void> | null = null;
  #dropped = 0;
  #closed = false;

  constructor(private readonly options: EventHooksOptions) {}

  get enabled(): boolean {
    return this.options.hooks.length > 0;
  }

  wants(type: HookEventType): boolean {
    return this.options.hooks.some((hook) => hook.events.includes(type));
  }

  /** Returns at once: the hooks run later, one at a time, in the order of their events. */
  emit(event: HookEvent): void {
    if (this.#closed) return;
    for (const hook of this.options.hooks) {
      if (!hook.events.includes(event.type)) continue;
      if (this.#queue.length >= (this.options.capacity ?? QUEUE_CAPACITY)) {
        this.#queue.shift();
        if (this.#dropped++ === 0) {
          this.options.log.warn("Event hooks fall behind: dropping the oldest waiting events");
        }
      }
      this.#queue.push({ hook, event });
    }
    this.#running ??= this.#work();
  }

  /** Lets the waiting hooks run (up to `ms`), then drops what is left. */
  async close(ms = DRAIN_MS): Promise<void> {
    this.#closed = true;
    if (!this.#running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#running, new Promise((resolve) => timer = setTimeout(resolve, ms))]);
    clearTimeout(timer);
    if (this.#queue.length > 0) {
      this.options.log.warn("Stopping: {count} event hook runs dropped", { count: this.#queue.length });
      this.#queue.length = 0;
    }
  }

  async #work(): Promise<void> {
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) await this.#runOne(job);
    if (this.#dropped > 0) {
      this.options.log.warn("Event hooks caught up; {count} events were dropped", { count: this.#dropped });
      this.#dropped = 0;
    }
    this.#running = null;
  }

  async #runOne({ hook, event }: Job): Promise<void> {
    const { log } = this.options;
    const read = this.options.env ?? ((name: string) => Deno.env.get(name));
    const props = { command: hook.command, type: event.type };
    try {
      const result = await (this.options.run ?? runProgram)({
        program: "sh",
        args: ["-c", hook.command],
        stdin: JSON.stringify(event) + "\n",
        env: programEnvironment(read, { GITARGUS_EVENT_TYPE: event.type }),
        timeoutMs: hook.timeoutSeconds * 1000,
      });
      const output = tail(`${result.stdout}${result.stderr}`, 10);
      if (result.code === null) {
        log.warn("Event hook {command} ({type}) killed after {seconds} s{output}", {
          ...props,
          seconds: hook.timeoutSeconds,
          output: output ? `: ${output}` : "",
        });
      } else if (result.code !== 0) {
        log.warn("Event hook {command} ({type}) failed with exit {code}{output}", {
          ...props,
          code: result.code,
          output: output ? `: ${output}` : "",
        });
      } else {
        log.info("Event hook {command} ({type}) ran in {ms} ms{output}", {
          ...props,
          ms: Math.round(result.ms),
          output: output ? `: ${output}` : "",
        });
      }
    } catch (error) {
      log.warn("Event hook {command} ({type}) cannot start: {error}", {
        ...props,
        error: (error as Error).message,
      });
    }
  }
}
