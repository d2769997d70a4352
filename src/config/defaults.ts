/**
 * The config's defaults and the way its key paths are written, apart from the schema: resolving a config
 * (which the daemon does) needs these, and must not load the schema's validator with them.
 */

import type { KeyPath } from "./source.ts";

export const DEFAULT_TABLE = "gitargus";
export const DEFAULT_DAEMON = {
  reconcileMinutes: 15,
  heartbeatSeconds: 60,
  fetchTimeoutSeconds: 60,
  parallelism: 4,
} as const;

export const DEFAULT_NOTIFY = {
  desktop: true,
  workAtRiskMinutes: 60,
  awsUnreachableMinutes: 10,
  othersSeconds: 300,
  timeoutSeconds: 10,
} as const;

/** `["aws", "sqs", "queue"]` → `aws.sqs.queue`; `["repositories", 2]` → `repositories[2]`. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((segment, index) =>
    typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`
  ).join("");
}
