/** A git child process: collecting its output, and killing it with what it started. */

/**
 * SIGKILL to the group git leads: git, and every child it started that did not leave the group. Signalling a
 * group takes Deno's unrestricted run permission, which the program does not have; so Deno signals its own
 * child, git, and the system's `kill` (on the program's `--allow-run` list for this alone) takes the rest.
 */
export function killGroup(child: Deno.ChildProcess, env: Record<string, string>): void {
  try {
    Deno.kill(-child.pid, "SIGKILL");
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) return; // already gone
  }
  killGit(child);
  try {
    new Deno.Command("kill", {
      args: ["-KILL", "--", `-${child.pid}`],
      cwd: "/",
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn().status.catch(() => {});
  } catch {
    // No `kill` on PATH: git itself is gone, and its children lose their pipes.
  }
}

export function killGit(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // Already gone.
  }
}

/** After a kill, how long to wait for output still buffered in the pipes. */
const DRAIN_AFTER_KILL_MS = 500;

export interface Collected {
  code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/**
 * Waits for the exit and both streams. A child that left git's process group may still hold the pipes open
 * after a kill: once git itself is gone, the streams get a short grace period and are then dropped.
 */
export async function collect(
  child: Deno.ChildProcess,
  stdin: string | undefined,
  signal: AbortSignal,
): Promise<Collected> {
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    // git may exit before reading all of stdin; its exit code tells the story.
    await writer.write(new TextEncoder().encode(stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const stdoutReader = child.stdout.getReader({ mode: "byob" });
  const stderrReader = child.stderr.getReader({ mode: "byob" });
  const streams = Promise.all([readAll(stdoutReader), readAll(stderrReader)]);
  const { code } = await child.status;
  let bytes: [Uint8Array, Uint8Array] = [new Uint8Array(), new Uint8Array()];
  if (signal.aborted) {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const late = await Promise.race([
      streams,
      new Promise<null>((resolve) => grace = setTimeout(() => resolve(null), DRAIN_AFTER_KILL_MS)),
    ]);
    clearTimeout(grace);
    if (late) bytes = late;
    else await Promise.all([stdoutReader.cancel(), stderrReader.cancel()]).catch(() => {});
  } else {
    bytes = await streams;
  }
  return { code, stdout: bytes[0], stderr: bytes[1] };
}

/**
 * Reads into buffers that start small and grow with the output. A default reader takes a fresh 64 KB buffer
 * for every read, however little git wrote, and keeps it until the next garbage collection: thousands of git
 * runs in a full update then raised the native heap by tens of MB that the allocator never gave back.
 */
const FIRST_READ_BYTES = 4096;
const LARGEST_READ_BYTES = 1 << 20;

async function readAll(reader: ReadableStreamBYOBReader): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = FIRST_READ_BYTES;
  try {
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(size));
      if (done || !value) break;
      chunks.push(value);
      if (value.length === size) size = Math.min(size * 2, LARGEST_READ_BYTES);
    }
  } catch {
    // Cancelled after a kill: what arrived so far is all there is.
  }
  return concat(chunks);
}

/** One buffer of exactly the output's size: a result may be kept, its read buffers need not be. */
function concat(chunks: Uint8Array[]): Uint8Array {
  const only = chunks.length === 1 ? chunks[0]! : null;
  if (only && only.byteLength === only.buffer.byteLength) return only;
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
