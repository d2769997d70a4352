/** Queue timings shared by the receive loop, the SQS client and `setup-aws` (kept free of SDK imports). */
export const LONG_POLL_SECONDS = 20;
/**
 * The queue's own default (`setup-aws`, `doctor`). The daemon never relies on it: every receive asks for
 * RECEIVE_VISIBILITY_SECONDS instead.
 */
export const VISIBILITY_SECONDS = 60;
/**
 * How long a received message stays hidden before the daemon takes it: one second, the least SQS allows
 * short of none (a message received visible is not in flight, so it could not be hidden afterwards). Short,
 * because a stopping daemon's long poll lives on at SQS after the daemon let go of it: a message that
 * arrives there is delivered to nobody, and comes back to the next daemon a second later instead of after a
 * visibility timeout. The receive loop hides each message it keeps (below) before it polls again.
 */
export const RECEIVE_VISIBILITY_SECONDS = 1;
/**
 * A message being handled is hidden this long at once (one ChangeMessageVisibility as it is taken) and
 * extended for as long as its handling takes, including the 30 s wait for a push to land. What a killed
 * daemon held comes back to the next one within this.
 */
export const HANDLING_VISIBILITY_SECONDS = 15;
/** Three extensions per period: one lost ChangeMessageVisibility call does not let the message reappear. */
export const EXTEND_EVERY_SECONDS = HANDLING_VISIBILITY_SECONDS / 3;
/** Pushes older than this are stale: the next full update covers them anyway. */
export const RETENTION_SECONDS = 4 * 24 * 3600;
