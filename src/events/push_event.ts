/** The push event: what the pre-push hook publishes and the daemons consume. Version 1. */

import { z } from "zod";
import { isObjectId, isValidRefName } from "./ref_format.ts";
import { sha256Hex } from "../util/hash.ts";

/** Far above any real event (1,000 refs), far below SNS's 256 KB: anything larger is not ours. */
export const MAX_EVENT_BYTES = 128 * 1024;
export const MAX_REFS = 1000;

const pushedRef = z.object({
  ref: z.string().refine(isValidRefName, { message: "is not a valid ref name" }),
  sha: z.string().refine(isObjectId, { message: "is not a hex object id" }),
});

export const pushEventSchema = z.object({
  v: z.literal(1),
  type: z.literal("push"),
  source: z.string().min(1).max(255),
  repository: z.string().min(1).max(1024),
  remote: z.string().max(1024),
  refs: z.array(pushedRef).min(1).max(MAX_REFS),
  at: z.iso.datetime({ offset: true }),
});

export type PushEvent = z.infer<typeof pushEventSchema>;
export type PushedRef = PushEvent["refs"][number];

export class InvalidEventError extends Error {}

/** Parses a queue message body; the error says what is wrong in one line. */
export function parsePushEvent(body: string): PushEvent {
  const size = new TextEncoder().encode(body).length;
  if (size > MAX_EVENT_BYTES) {
    throw new InvalidEventError(`message of ${size} bytes exceeds ${MAX_EVENT_BYTES}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InvalidEventError(`message is not JSON: ${JSON.stringify(body.slice(0, 60))}`);
  }
  if (typeof raw === "object" && raw !== null && "v" in raw && raw.v !== 1) {
    throw new InvalidEventError(`unsupported event version ${JSON.stringify(raw.v)}`);
  }
  const parsed = pushEventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(
      /^\./,
      "",
    );
    throw new InvalidEventError(`${path || "event"} ${issue.message}`);
  }
  return parsed.data;
}

/** Same push, same id: SNS FIFO drops a re-publish (the outbox retrying) within its five-minute window. */
export async function deduplicationId(
  event: Pick<PushEvent, "source" | "repository" | "refs">,
): Promise<string> {
  const refs = [...event.refs].sort((a, b) => a.ref.localeCompare(b.ref)).map((r) => `${r.ref}=${r.sha}`);
  return await sha256Hex([event.source, event.repository, ...refs].join("\n"));
}

/** One FIFO group per repository keeps its pushes in order; names outside SQS's alphabet are hashed. */
export async function messageGroupId(repository: string): Promise<string> {
  if (/^[\x21-\x7e]{1,128}$/.test(repository)) return repository;
  return "repo-" + (await sha256Hex(repository)).slice(0, 32);
}
