/** Queue timings shared by the receive loop, the SQS client and `setup-aws` (kept free of SDK imports). */
export const LONG_POLL_SECONDS = 20;
/** Long enough for a fetch that waits for a push to land (30 s) plus a fast-forward. */
export const VISIBILITY_SECONDS = 60;
/** Pushes older than this are stale: the next full update covers them anyway. */
export const RETENTION_SECONDS = 4 * 24 * 3600;
