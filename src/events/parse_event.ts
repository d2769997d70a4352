/** Validation of push events read from the queue (and the outbox): size first, then schema and version. */

import { z } from "zod";
import { isObjectId, isValidRefName } from "./ref_format.ts";
import type { PushEvent } from "./push_event.ts";

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
  return parsed.data satisfies PushEvent;
}
