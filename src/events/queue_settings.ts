/** Queue timings shared by the receive loop, the SQS client and `setup-aws` (kept free of SDK imports). */
export const LONG_POLL_SECONDS = 20;
/**
 * The queue's own default (`setup-aws`, `doctor`). The daemon never relies on it: every receive asks for
 * RECEIVE_VISIBILITY_SECONDS instead.
 */
export const VISIBILITY_SECONDS = 60;
/**
 * Messages are received visible (hidden for no time at all) and deleted once taken, before the next receive.
 * A stopping daemon's long poll lives on at SQS for the rest of its 20 s after the daemon let go of it: a
 * message that arrives then is delivered to nobody, and a message received hidden would stay out of the new
 * daemon's reach for as long as it is hidden. Received visible, it is there for the new daemon at once. What
 * a killed daemon received and had not deleted is there at once too.
 */
export const RECEIVE_VISIBILITY_SECONDS = 0;
/** Pushes older than this are stale: the next full update covers them anyway. */
export const RETENTION_SECONDS = 4 * 24 * 3600;
