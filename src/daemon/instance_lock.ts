/**
 * One daemon per config. A daemon holds an OS lock on a file named after its config's real path for as long
 * as it runs, so a second `gitargus run` (or `run --once`) with that config refuses to start, while two
 * different configs run side by side. The kernel drops the lock when the holder dies, so after a SIGKILL the
 * next start just succeeds. The file's content only names the holder in that refusal.
 */

import { AlreadyRunningError } from "../errors.ts";
import { gitargusDir } from "../config/paths.ts";
import { sha256Hex } from "../util/hash.ts";
import { join } from "../util/path.ts";
import { tryHoldLock } from "../util/file_lock.ts";

export interface LockOwner {
  pid: number;
  startedAt: string;
  /** As the user would type it: `gitargus run --once`. */
  command: string;
  /** Started from a terminal, or in the background (a service, cron). */
  terminal: boolean;
  config: string;
}

/** `~/.gitargus/locks/daemon-<hash>.lock`: a config reached through a symlink is still the same config. */
export async function instanceLockPath(home: string, configFile: string): Promise<string> {
  const real = await Deno.realPath(configFile).catch(() => configFile);
  return join(gitargusDir(home), "locks", `daemon-${(await sha256Hex(real)).slice(0, 16)}.lock`);
}

export class InstanceLock implements AsyncDisposable {
  #file: Deno.FsFile | null;

  constructor(readonly path: string, file: Deno.FsFile) {
    this.#file = file;
  }

  /** The file stays: removing it would let a starting daemon lock a file nobody else opens any more. */
  release(): void {
    this.#file?.close();
    this.#file = null;
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/** Takes the lock, or throws AlreadyRunningError naming the daemon that holds it. */
export async function acquireInstanceLock(path: string, owner: LockOwner): Promise<InstanceLock> {
  const file = await tryHoldLock(path);
  if (!file) throw new AlreadyRunningError(refusal(owner.config, await readOwner(path), path));
  try {
    await file.truncate(0);
    const bytes = new TextEncoder().encode(JSON.stringify(owner) + "\n");
    for (let written = 0; written < bytes.length;) written += await file.write(bytes.subarray(written));
  } catch (error) {
    file.close();
    throw error;
  }
  return new InstanceLock(path, file);
}

/** What the holder wrote; null when the file is empty (it is writing right now) or not ours. */
export async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await Deno.readTextFile(path)) as Partial<LockOwner>;
    const valid = typeof owner.pid === "number" && typeof owner.startedAt === "string" &&
      typeof owner.command === "string" && typeof owner.terminal === "boolean";
    return valid ? owner as LockOwner : null;
  } catch {
    return null;
  }
}

function refusal(config: string, owner: LockOwner | null, path: string): string {
  const prefix = `Another daemon already runs with config "${config}"`;
  if (!owner) return `${prefix} (it holds "${path}"); stop it first`;
  const since = owner.startedAt.replace(/\.\d+Z$/, "Z");
  const how = owner.terminal ? "from a terminal" : "in the background";
  return `${prefix}: pid ${owner.pid}, started ${since} as "${owner.command}" ${how}; stop it first`;
}
