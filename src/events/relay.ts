/**
 * The outbox doubles as a mailbox to the local daemon. While a daemon relays the outbox it holds an OS lock on
 * a file in it; the hook then only drops its event there (no AWS SDK to load, no network wait inside
 * `git push`) and the daemon, whose AWS client is already warm, publishes it at once. When no one holds the
 * lock the hook publishes itself. The kernel drops the lock when the daemon dies, even by SIGKILL, so a dead
 * daemon never makes the hook leave its event for nobody.
 */

import { join } from "../util/path.ts";
import { isLockHeld, tryHoldLock } from "../util/file_lock.ts";

export const MAILBOX_LOCK = ".daemon.lock";

export function mailboxLock(outboxDir: string): string {
  return join(outboxDir, MAILBOX_LOCK);
}

/** The hook's whole test: one open and one non-blocking lock probe. */
export function daemonAlive(outboxDir: string): Promise<boolean> {
  return isLockHeld(mailboxLock(outboxDir));
}

/** The relay's side: the held lock file (closing it gives the role up), or null when another relay has it. */
export function holdMailbox(outboxDir: string): Promise<Deno.FsFile | null> {
  return tryHoldLock(mailboxLock(outboxDir));
}
