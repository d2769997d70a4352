/**
 * Typed errors. Everything below the CLI throws one of these; `src/cli/report.ts` is the one place that turns
 * them into a one-line message and an exit code.
 */

/** Base class: `message` is already the one line a user reads. */
export class GitargusError extends Error {
  /** Process exit code when this error reaches the top. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong command line: unknown flag, missing argument, conflicting options. */
export class UsageError extends GitargusError {
  override readonly exitCode = 2;
}

/** The configuration file is missing, unreadable, or invalid. */
export class ConfigError extends GitargusError {
  override readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly keyPath?: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    const where = [keyPath ? `at "${keyPath}"` : "", line ? `(line ${line})` : ""].filter(Boolean).join(" ");
    super(`Invalid config "${file}"${where ? " " + where : ""}: ${detail}`, options);
  }
}

/** A git command failed or timed out. Carries both output streams. */
export class GitError extends GitargusError {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly code: number | null,
    readonly stderr: string,
    readonly stdout: string,
    readonly timedOut = false,
  ) {
    const what = timedOut ? "timed out" : `exited with ${code}`;
    const detail = firstLine(stderr) || firstLine(stdout);
    super(`git ${args.join(" ")} in "${cwd}" ${what}${detail ? `: ${detail}` : ""}`);
  }
}

/** An AWS call failed (service error, network, credentials). */
export class AwsError extends GitargusError {
  constructor(readonly action: string, cause: unknown) {
    super(`${action} failed: ${describeAwsCause(cause)}`, { cause });
  }
}

/**
 * The command's own output already said what is wrong (`leave` listing the work at risk): it only sets the
 * exit code, and nothing more is printed.
 */
export class ReportedError extends GitargusError {}

/** Another daemon already runs with the same config; the message names it. */
export class AlreadyRunningError extends GitargusError {}

/** `run --once` ended with repositories in the FAILED state (a fetch that failed, an unreadable clone). */
export class RepositoriesFailedError extends GitargusError {
  constructor(readonly names: readonly string[]) {
    const count = names.length === 1 ? "1 repository" : `${names.length} repositories`;
    super(`${count} FAILED: ${names.join(", ")} (\`gitargus status\` and the log say why)`);
  }
}

function describeAwsCause(cause: unknown): string {
  // The binary's permissions were fixed when it was built: "run again with --allow-net" is no advice here.
  const host = cause instanceof Error && cause.name === "NotCapable"
    ? /net access to "([^"]+)"/.exec(cause.message)?.[1]
    : undefined;
  if (host) {
    return `"${host}" is not a host GitArgus may connect to (AWS, loopback and instance metadata only); ` +
      "check aws.endpoint, aws.<service>.endpoint and AWS_ENDPOINT_URL*";
  }
  if (cause instanceof Error) {
    const name = cause.name && cause.name !== "Error" ? `${cause.name}: ` : "";
    return `${name}${firstLine(cause.message) || "no detail"}`;
  }
  return String(cause);
}

/** First non-empty line of a multi-line text, trimmed. */
export function firstLine(text: string): string {
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return "";
}

/**
 * What a failed system call says, without Deno's code and the path it names (often a temporary file's):
 * `Operation not permitted (os error 1): mkdir '/x'` is `Operation not permitted`.
 */
export function systemReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.split(" (os error")[0]!.split(": ")[0] || error.name;
}
