/** The push event: what the pre-push hook publishes and the daemons consume. Version 1. */

import { sha256Hex, sha256HexSync } from "../util/hash.ts";

export interface PushedRef {
  /** Full ref name on the remote (`refs/heads/main`). */
  ref: string;
  /** The pushed object id; all zeros for a deletion. */
  sha: string;
}

/** The event version this program publishes and reads; each host record says it, so `status` can warn. */
export const PUSH_EVENT_VERSION = 1;

/** Version 1 of the event, as published. Parsed and validated by `parsePushEvent` (parse_event.ts). */
export interface PushEvent {
  v: 1;
  type: "push";
  source: string;
  repository: string;
  remote: string;
  refs: PushedRef[];
  at: string;
}

/** Same push, same id: SNS FIFO drops a re-publish (the outbox retrying) within its five-minute window. */
export function deduplicationId(event: Pick<PushEvent, "source" | "repository" | "refs">): string {
  const refs = [...event.refs].sort((a, b) => a.ref.localeCompare(b.ref)).map((r) => `${r.ref}=${r.sha}`);
  // Synchronous: the pre-push hook computes it inside every push (src/util/hash.ts).
  return sha256HexSync([event.source, event.repository, ...refs].join("\n"));
}

/** One FIFO group per repository keeps its pushes in order; names outside SQS's alphabet are hashed. */
export async function messageGroupId(repository: string): Promise<string> {
  if (/^[\x21-\x7e]{1,128}$/.test(repository)) return repository;
  return "repo-" + (await sha256Hex(repository)).slice(0, 32);
}
