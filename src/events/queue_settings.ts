/** Queue timings shared by the receive loop, the SQS client and `setup-aws` (kept free of SDK imports). */
export const LONG_POLL_SECONDS = 20;
/**
 * The queue's own default (`setup-aws`, `doctor`). The daemon never relies on it: every receive asks for
 * RECEIVE_VISIBILITY_SECONDS instead.
 */
export const VISIBILITY_SECONDS = 60;
/**
 * How long a received message stays hidden. Short, so the messages a killed daemon held come back to the
 * next daemon within seconds; a message being handled is kept hidden by extending it (see below) for as long
 * as its handling takes, including the 30 s wait for a push to land.
 */
export const RECEIVE_VISIBILITY_SECONDS = 15;
/** Three extensions per period: one lost ChangeMessageVisibility call does not let the message reappear. */
export const EXTEND_EVERY_SECONDS = RECEIVE_VISIBILITY_SECONDS / 3;
/** Pushes older than this are stale: the next full update covers them anyway. */
export const RETENTION_SECONDS = 4 * 24 * 3600;
