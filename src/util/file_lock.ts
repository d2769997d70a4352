/**
 * Advisory file locks (flock). The kernel drops a lock when its holder exits, however it exits, so a process
 * killed with SIGKILL never leaves a lock behind: the file stays, and by itself it means nothing.
 */

import { dirname } from "./path.ts";

/** Another process's probe holds a shared lock for microseconds; that must not cost the holder its start. */
const ATTEMPTS = 10;
const RETRY_MS = 20;

/** The open, exclusively locked file; null when another process holds the lock. Closing it releases. */
export async function tryHoldLock(path: string): Promise<Deno.FsFile | null> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const file = await Deno.open(path, { read: true, write: true, create: true });
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (await file.tryLock(true)) return file;
      if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  } catch (error) {
    file.close();
    throw error;
  }
  file.close();
  return null;
}

/**
 * True while some process holds the lock. One open and one non-blocking shared lock, released at once; a
 * file that does not exist or cannot be opened counts as not held. Synchronous calls: the pre-push hook asks,
 * and an asynchronous open would start the runtime's file threads.
 */
export function isLockHeld(path: string): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return Promise.resolve(false);
  }
  try {
    return Promise.resolve(!file.tryLockSync(false));
  } catch {
    return Promise.resolve(false);
  } finally {
    file.close();
  }
}
