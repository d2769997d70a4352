/** Validation of push events read from the queue (and the outbox): size first, then schema and version. */

import { z } from "zod";
import { isObjectId, isValidRefName } from "./ref_format.ts";
import type { PushEvent } from "./push_event.ts";
import { escapeText, needsEscape } from "../util/escape.ts";

/** Far above any real event (1,000 refs), far below SNS's 256 KB: anything larger is not ours. */
export const MAX_EVENT_BYTES = 128 * 1024;
export const MAX_REFS = 1000;
/** Enough to recognise a message in the log; never the whole of a hostile body. */
const SHOWN_CHARS = 60;

const pushedRef = z.object({
  ref: z.string().refine(isValidRefName, { message: "is not a valid ref name" }),
  sha: z.string().refine(isObjectId, { message: "is not a hex object id" }),
});

/** Names end up in log lines and store keys: nothing that could end a line or move a terminal's cursor. */
const name = (max: number) =>
  z.string().max(max).refine((text) => !needsEscape(text), { message: "contains a control character" });

export const pushEventSchema = z.object({
  v: z.literal(1),
  type: z.literal("push"),
  source: name(255).min(1),
  repository: name(1024).min(1),
  remote: name(1024),
  refs: z.array(pushedRef).min(1).max(MAX_REFS).superRefine((refs, context) => {
    const seen = new Set<string>();
    for (const [index, { ref }] of refs.entries()) {
      if (seen.has(ref)) context.addIssue({ code: "custom", path: [index, "ref"], message: "repeats a ref" });
      seen.add(ref);
    }
  }),
  at: z.iso.datetime({ offset: true }),
});

export class InvalidEventError extends Error {}

/** Parses a queue message body; the error says what is wrong in one line, escaped and bounded. */
export function parsePushEvent(body: string): PushEvent {
  const size = new TextEncoder().encode(body).length;
  if (size > MAX_EVENT_BYTES) {
    throw new InvalidEventError(`message of ${size} bytes exceeds ${MAX_EVENT_BYTES}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InvalidEventError(`message is not JSON: "${clip(body).replaceAll('"', '\\"')}"`);
  }
  raw = unwrapSnsEnvelope(raw);
  if (typeof raw === "object" && raw !== null && "v" in raw && raw.v !== 1) {
    throw new InvalidEventError(`unsupported event version ${clip(JSON.stringify(raw.v) ?? "undefined")}`);
  }
  const parsed = pushEventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(
      /^\./,
      "",
    );
    throw new InvalidEventError(escapeText(`${path || "event"} ${issue.message}`).slice(0, 200));
  }
  return parsed.data satisfies PushEvent;
}

/**
 * A subscription without raw message delivery (made by hand, or changed after `setup-aws`) wraps every event
 * in SNS's JSON envelope. The push inside is taken, and validated like any other, rather than lost.
 */
function unwrapSnsEnvelope(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const envelope = raw as Record<string, unknown>;
  if (envelope.Type !== "Notification" || typeof envelope.Message !== "string" || "v" in envelope) return raw;
  try {
    return JSON.parse(envelope.Message);
  } catch {
    throw new InvalidEventError(
      `SNS notification does not carry JSON: "${clip(envelope.Message).replaceAll('"', '\\"')}"`,
    );
  }
}

function clip(text: string): string {
  const start = escapeText(text.slice(0, SHOWN_CHARS));
  return text.length > SHOWN_CHARS ? `${start}...` : start;
}
