/**
 * What a stored record must look like before anything reads it. Items are written by every version of
 * GitArgus on every machine, and anyone with table access can change them by hand, so `status` and the
 * daemon's start decode each one here: a damaged record becomes one unreadable entry instead of a crash.
 * Unknown fields are kept (a newer version's additions); fields added since the first version default.
 */

import { z } from "zod";
import { OPERATIONS, REPO_STATES, type RepoStatus } from "../state/repo_status.ts";
import { ITEM_KINDS, MAX_RECORDED_ITEMS } from "../state/attention_item.ts";
import { HOST_KEY, HOST_MODES, type HostRecord, REPO_PREFIX } from "./store.ts";

/** DynamoDB's own item limit is 400 KB; a record near it is not one this program wrote. */
export const MAX_RECORD_CHARS = 256 * 1024;
const NAME = 1024;
const PATH = 4096;
const TEXT = 16 * 1024;
const LIST = 10_000;

const time = z.string().max(64).refine((s) => Number.isFinite(Date.parse(s)), { message: "is not a time" });
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);

const repoStatusSchema = z.looseObject({
  name: text(NAME).min(1),
  path: text(PATH),
  remoteUrl: text(PATH).optional(),
  state: z.enum(REPO_STATES),
  branch: text(NAME).nullable(),
  upstream: text(NAME).nullable(),
  head: text(64).nullable(),
  ahead: count,
  behind: count,
  clean: z.boolean(),
  changes: z.looseObject({
    staged: count,
    unstaged: count,
    untracked: count,
    conflicted: count,
    entries: z.array(z.looseObject({ code: text(8), path: text(PATH), from: text(PATH).optional() })).max(
      LIST,
    ),
    truncated: z.boolean(),
  }),
  stashes: count.default(0),
  unpushedBranches: z.array(z.looseObject({
    name: text(NAME),
    upstream: text(NAME).nullable(),
    ahead: count,
    gone: z.boolean().optional(),
  })).max(LIST).default([]),
  unpushedCommits: count.optional(),
  operation: z.enum(OPERATIONS).nullable().default(null),
  worktrees: z.array(z.looseObject({
    path: text(PATH),
    branch: text(NAME).nullable(),
    head: text(NAME).nullable(),
    clean: z.boolean(),
    changes: z.looseObject({ staged: count, unstaged: count, untracked: count, conflicted: count })
      .nullable(),
    operation: z.enum(OPERATIONS).nullable(),
  })).max(LIST).optional(),
  // Advice about another machine's work: a damaged list is dropped, never the repository.
  wip: z.array(z.looseObject({
    branch: text(NAME),
    commit: text(64),
    base: text(64),
    savedAt: time,
    files: count,
  })).max(LIST).optional().catch(undefined),
  lastFetch: z.looseObject({ at: time, ok: z.boolean(), error: text(TEXT).optional() }).nullable().default(
    null,
  ),
  sync: z.looseObject({
    at: time,
    result: z.enum(["fast-forwarded", "up-to-date", "skipped", "blocked", "failed"]),
    reason: text(TEXT).optional(),
    policyHeld: z.array(text(NAME)).max(LIST).optional(),
  }).nullable().default(null),
  error: text(TEXT).nullable().default(null),
  updatedAt: time,
});

const hostRecordSchema = z.looseObject({
  hostname: text(255).min(1),
  heartbeatAt: time,
  startedAt: time,
  heartbeatSeconds: z.number().positive().max(86_400 * 365),
  version: text(NAME),
  // A mode a newer version adds reads as unknown rather than making the whole host unreadable.
  mode: z.enum(HOST_MODES).optional().catch(undefined),
  // Every daemon before this field spoke version 1 of the push event, the only version there was.
  eventVersion: z.number().int().positive().max(1_000_000).default(1),
  platform: text(NAME),
  root: text(PATH),
  repositories: count,
  lastFullUpdateAt: time.nullable().default(null),
  stoppedAt: time.nullable().default(null),
  // Damaged or unknown items drop the list, never the machine: it is advice, not state.
  attention: z.array(z.looseObject({
    id: text(PATH),
    kind: z.enum(ITEM_KINDS),
    host: text(255),
    repo: text(NAME).nullable(),
    summary: text(TEXT),
    state: text(TEXT),
    since: time,
  })).max(MAX_RECORDED_ITEMS).optional().catch(undefined),
});

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A repository item `REPO#<name>`: its record must carry that name. */
export function decodeRepoStatus(key: string, data: string | undefined): Decoded<RepoStatus> {
  const decoded = decode(repoStatusSchema, data);
  if (!decoded.ok) return decoded;
  const name = key.slice(REPO_PREFIX.length);
  if (decoded.value.name !== name) {
    return fail(`its name ${quote(decoded.value.name)} does not match its key`);
  }
  return { ok: true, value: decoded.value as RepoStatus };
}

/** The `HOST` item of partition `hostname`: its record must name that host. */
export function decodeHostRecord(hostname: string, data: string | undefined): Decoded<HostRecord> {
  const decoded = decode(hostRecordSchema, data);
  if (!decoded.ok) return decoded;
  if (decoded.value.hostname !== hostname) {
    return fail(`its hostname ${quote(decoded.value.hostname)} does not match its key ${HOST_KEY}`);
  }
  return { ok: true, value: decoded.value as HostRecord };
}

function decode<T>(schema: z.ZodType<T>, data: string | undefined): Decoded<T> {
  if (data === undefined) return fail("it has no data attribute of type string");
  if (data.length > MAX_RECORD_CHARS) {
    return fail(`it is ${data.length} characters long (at most ${MAX_RECORD_CHARS})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return fail(`its data is not JSON: ${quote(data.slice(0, 40))}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail(
      `its data is ${
        Array.isArray(raw) ? "a list" : `${typeof raw === "object" ? "null" : typeof raw}`
      }, not an object`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(
    /^\./,
    "",
  );
  const value = valueAt(raw, issue.path);
  if (issue.path.length > 0 && value === undefined) return fail(`${path}: is missing`);
  if (issue.code === "invalid_value" && typeof value === "string") {
    return fail(`${path}: ${quote(value)} is not one of ${issue.values.join(", ")}`);
  }
  return fail(`${path || "record"}: ${lowerFirst(issue.message)}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
