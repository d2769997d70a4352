/**
 * A hard deadline on every AWS call. The HTTP handler's `requestTimeout` bounds one attempt, and only with
 * `throwOnRequestTimeout` (without it, it merely logs a warning); a connection whose peer vanished without a
 * reset (a sleeping laptop's Wi-Fi, a dropped NAT mapping) would otherwise hold a call, and with it the
 * receive loop, forever. The deadline covers the whole call, retries included, and is raced as well as
 * passed as the SDK's abort signal, so the call ends even where the SDK does not look at the signal
 * (credential lookups, retry delays).
 */

/** Longest any single call (all its attempts) may take, long polls aside. */
export const CALL_DEADLINE_MS = 8_000;
/** A long poll may take its wait plus this much before it counts as lost. */
export const LONG_POLL_MARGIN_MS = 5_000;

/** The call got no answer in time. Named like the SDK's own timeouts, so retry rules treat it alike. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${formatSeconds(ms)}`);
    this.name = "TimeoutError";
  }
}

/** The deadline of one call: a long poll's wait plus a margin, anything else the plain call deadline. */
export function deadlineFor(input: unknown, callMs = CALL_DEADLINE_MS): number {
  const wait = (input as { WaitTimeSeconds?: unknown } | undefined)?.WaitTimeSeconds;
  return typeof wait === "number" && wait > 0 ? wait * 1000 + LONG_POLL_MARGIN_MS : callMs;
}

/**
 * Runs `work` with a signal that aborts at the deadline or when `outer` aborts, and settles by then whatever
 * `work` does. A stop through `outer` rejects with the stop's reason, so callers can tell it from a timeout.
 */
export function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  if (outer?.aborted) return Promise.reject(outer.reason);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(ms)), ms);
  const signal = outer ? AbortSignal.any([deadline.signal, outer]) : deadline.signal;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let running: Promise<T>;
    try {
      running = work(signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(resolve, (error) => reject(signal.aborted ? signal.reason : error)).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
  });
}

/** One AWS call as it ended, all its attempts included, for `--verbose`. */
export interface AwsCall {
  service: string;
  operation: string;
  ms: number;
  /** "ok", or the error's name (a service exception, `TimeoutError`, `AbortError`). */
  outcome: string;
  /** HTTP status of the last attempt, when one came back. */
  status?: number;
  attempts?: number;
}

let callObserver: ((call: AwsCall) => void) | null = null;

/**
 * Sees every call of every client made with `withCallDeadlines`, from then on. One per process, like the log
 * configuration it serves; null stops it.
 */
export function observeAwsCalls(observer: ((call: AwsCall) => void) | null): void {
  callObserver = observer;
}

interface SendOptions {
  abortSignal?: AbortSignal;
}

interface Sending {
  send(command: { input?: unknown }, options?: SendOptions): Promise<unknown>;
}

/**
 * Makes every `send` of an SDK client end by its deadline (see `deadlineFor`), combined with any abort
 * signal the caller passes. Done on the client, not at each call site, so no call can be left out.
 */
export function withCallDeadlines<C extends object>(client: C, callMs = CALL_DEADLINE_MS): C {
  const sending = client as unknown as Sending;
  const send = sending.send.bind(sending);
  sending.send = (command, options = {}) => {
    const call = withDeadline(
      deadlineFor(command.input, callMs),
      (signal) => send(command, { ...options, abortSignal: signal }),
      options.abortSignal,
    );
    return callObserver ? observed(call, callObserver, client, command) : call;
  };
  return client;
}

interface Metadata {
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

async function observed<T>(
  call: Promise<T>,
  observe: (call: AwsCall) => void,
  client: object,
  command: object,
): Promise<T> {
  const started = performance.now();
  const service = (client as { config?: { serviceId?: unknown } }).config?.serviceId;
  const named = {
    service: typeof service === "string" ? service : client.constructor.name.replace(/Client$/, ""),
    operation: command.constructor.name.replace(/Command$/, ""),
  };
  const ended = (outcome: string, result: unknown) => {
    const metadata = (result as Metadata | null)?.$metadata;
    observe({
      ...named,
      ms: performance.now() - started,
      outcome,
      ...(metadata?.httpStatusCode ? { status: metadata.httpStatusCode } : {}),
      ...(metadata?.attempts ? { attempts: metadata.attempts } : {}),
    });
  };
  try {
    const result = await call;
    ended("ok", result);
    return result;
  } catch (error) {
    ended(error instanceof Error ? error.name : "Error", error);
    throw error;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
