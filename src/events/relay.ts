/**
 * The outbox doubles as a mailbox to the local relay. While a relay (the daemon, or the one-shot publisher a
 * hook script started) publishes the outbox it holds an OS lock on a file in it; the hook, which always only
 * drops its event there, tells by that lock whether its script must start a publisher. The kernel drops the
 * lock when its holder dies, even by SIGKILL, so a dead daemon never makes the hook leave its event for
 * nobody.
 */

import { join } from "../util/path.ts";
import { isLockHeld, tryHoldLock } from "../util/file_lock.ts";

/**
 * One mailbox per host name: two configs in one home (a work and a personal fleet) share the outbox folder,
 * and a hook must never hand its push to the daemon of the other config, which would publish it to the wrong
 * topic. Host names are letters, digits, dots, hyphens and underscores, so the name is a plain file name.
 */
export function mailboxLock(outboxDir: string, hostname: string): string {
  return join(outboxDir, `.daemon-${hostname}.lock`);
}

/** The hook's whole test: one open and one non-blocking lock probe. */
export function daemonAlive(outboxDir: string, hostname: string): Promise<boolean> {
  return isLockHeld(mailboxLock(outboxDir, hostname));
}

/** The relay's side: the held lock file (closing it gives the role up), or null when another relay has it. */
export function holdMailbox(outboxDir: string, hostname: string): Promise<Deno.FsFile | null> {
  return tryHoldLock(mailboxLock(outboxDir, hostname));
}
