import assert from "node:assert/strict";
import { deduplicationId, messageGroupId, type PushEvent } from "./push_event.ts";
import { InvalidEventError, MAX_EVENT_BYTES, MAX_REFS, parsePushEvent } from "./parse_event.ts";

const SHA_A = "0123456789abcdef0123456789abcdef01234567";
const SHA_B = "89abcdef0123456789abcdef0123456789abcdef";

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    type: "push",
    source: "laptop",
    repository: "project1/repo1",
    remote: "origin",
    refs: [{ ref: "refs/heads/main", sha: SHA_A }],
    at: "2024-05-01T12:00:00.000Z",
    ...overrides,
  };
}

function body(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(event(overrides));
}

function without(field: string): string {
  const copy = event();
  delete copy[field];
  return JSON.stringify(copy);
}

/** Asserts that parsing fails with InvalidEventError and returns its message. */
function rejection(text: string): string {
  let message = "";
  assert.throws(() => parsePushEvent(text), (error: unknown) => {
    assert.ok(error instanceof InvalidEventError, `expected InvalidEventError, got ${error}`);
    message = error.message;
    return true;
  });
  return message;
}

function assertRejects(text: string, pattern: RegExp): void {
  const message = rejection(text);
  assert.match(message, pattern);
  assert.doesNotMatch(message, /\n/, "the message is one line");
}

Deno.test("parsePushEvent() returns a valid event unchanged", () => {
  assert.deepEqual(parsePushEvent(body()), event());
});

Deno.test("parsePushEvent() accepts an offset in `at`", () => {
  assert.equal(parsePushEvent(body({ at: "2024-05-01T14:00:00+02:00" })).at, "2024-05-01T14:00:00+02:00");
});

Deno.test("parsePushEvent() accepts a SHA-256 object id and a deletion", () => {
  const refs = [{ ref: "refs/heads/main", sha: "f".repeat(64) }, {
    ref: "refs/heads/gone",
    sha: "0".repeat(40),
  }];
  assert.deepEqual(parsePushEvent(body({ refs })).refs, refs);
});

Deno.test("parsePushEvent() accepts an empty remote", () => {
  assert.equal(parsePushEvent(body({ remote: "" })).remote, "");
});

Deno.test("parsePushEvent() accepts exactly MAX_REFS refs", () => {
  const refs = Array.from({ length: MAX_REFS }, (_, i) => ({ ref: `refs/heads/b${i}`, sha: SHA_A }));
  assert.equal(parsePushEvent(body({ refs })).refs.length, MAX_REFS);
});

Deno.test("parsePushEvent() rejects a body that is not JSON and quotes its start", () => {
  assertRejects("not json at all", /not JSON: "not json at all"/);
  assertRejects("", /not JSON/);
  assertRejects("{", /not JSON/);
});

Deno.test("parsePushEvent() quotes at most 60 characters of a body that is not JSON", () => {
  const message = rejection("x".repeat(5000));
  assert.ok(message.length < 120, message);
});

Deno.test("parsePushEvent() rejects a JSON array", () => {
  assertRejects("[]", /^event /);
  assertRejects(`[${body()}]`, /^event /);
});

Deno.test("parsePushEvent() rejects JSON null, a string and a number", () => {
  assertRejects("null", /^event /);
  assertRejects('"push"', /^event /);
  assertRejects("1", /^event /);
});

Deno.test("parsePushEvent() names each missing field", () => {
  for (const field of ["type", "source", "repository", "remote", "refs", "at"]) {
    assertRejects(without(field), new RegExp(`^${field} `));
  }
});

Deno.test("parsePushEvent() rejects an event without a version", () => {
  assertRejects(without("v"), /^v /);
});

Deno.test("parsePushEvent() rejects version 2 as unsupported", () => {
  assertRejects(body({ v: 2 }), /unsupported event version 2/);
});

Deno.test("parsePushEvent() rejects a version given as a string", () => {
  assertRejects(body({ v: "1" }), /unsupported event version "1"/);
});

Deno.test("parsePushEvent() reports an unsupported version before any other problem", () => {
  assertRejects(JSON.stringify({ v: 2, type: "something-else" }), /unsupported event version 2/);
});

Deno.test("parsePushEvent() rejects another event type", () => {
  assertRejects(body({ type: "pull" }), /^type /);
});

Deno.test("parsePushEvent() rejects an empty ref list", () => {
  assertRejects(body({ refs: [] }), /^refs /);
});

Deno.test("parsePushEvent() rejects more than MAX_REFS refs", () => {
  const refs = Array.from({ length: MAX_REFS + 1 }, (_, i) => ({ ref: `refs/heads/b${i}`, sha: SHA_A }));
  assertRejects(body({ refs }), /^refs /);
});

Deno.test("parsePushEvent() rejects a short object id", () => {
  assertRejects(body({ refs: [{ ref: "refs/heads/main", sha: "abc1234" }] }), /^refs\[0\]\.sha is not a hex/);
});

Deno.test("parsePushEvent() rejects an uppercase object id", () => {
  assertRejects(body({ refs: [{ ref: "refs/heads/main", sha: SHA_A.toUpperCase() }] }), /^refs\[0\]\.sha /);
});

Deno.test("parsePushEvent() rejects a non-hex object id", () => {
  assertRejects(body({ refs: [{ ref: "refs/heads/main", sha: "z".repeat(40) }] }), /^refs\[0\]\.sha /);
});

Deno.test("parsePushEvent() names the position of the bad ref", () => {
  const refs = [{ ref: "refs/heads/main", sha: SHA_A }, { ref: "refs/heads/x", sha: "nope" }];
  assertRejects(body({ refs }), /^refs\[1\]\.sha /);
});

Deno.test("parsePushEvent() rejects a ref name that climbs out of refs/", () => {
  assertRejects(
    body({ refs: [{ ref: "refs/heads/../../etc", sha: SHA_A }] }),
    /^refs\[0\]\.ref is not a valid ref/,
  );
});

Deno.test("parsePushEvent() rejects a short ref name", () => {
  assertRejects(body({ refs: [{ ref: "main", sha: SHA_A }] }), /^refs\[0\]\.ref /);
});

Deno.test("parsePushEvent() rejects a ref entry that is not an object", () => {
  assertRejects(body({ refs: ["refs/heads/main"] }), /^refs\[0\] /);
});

Deno.test("parsePushEvent() rejects an empty repository", () => {
  assertRejects(body({ repository: "" }), /^repository /);
});

Deno.test("parsePushEvent() rejects an empty source", () => {
  assertRejects(body({ source: "" }), /^source /);
});

Deno.test("parsePushEvent() rejects a repository of another type", () => {
  assertRejects(body({ repository: 42 }), /^repository /);
});

Deno.test("parsePushEvent() rejects an `at` that is not an ISO date-time", () => {
  assertRejects(body({ at: "yesterday" }), /^at /);
  assertRejects(body({ at: "2024-05-01" }), /^at /);
  assertRejects(body({ at: 1714564800000 }), /^at /);
});

Deno.test("parsePushEvent() rejects an oversize body before parsing it", () => {
  const message = rejection("x".repeat(200 * 1024));
  assert.match(message, /exceeds/);
  assert.match(message, new RegExp(String(MAX_EVENT_BYTES)));
});

Deno.test("parsePushEvent() measures the size in UTF-8 bytes, not characters", () => {
  const text = "ü".repeat(MAX_EVENT_BYTES / 2 + 1);
  assert.ok(text.length < MAX_EVENT_BYTES);
  assert.match(rejection(text), /exceeds/);
});

Deno.test("parsePushEvent() checks the size of a body that is otherwise valid", () => {
  assert.match(rejection(body({ remote: "r".repeat(MAX_EVENT_BYTES) })), /exceeds/);
});

const pushed: Pick<PushEvent, "source" | "repository" | "refs"> = {
  source: "laptop",
  repository: "project1/repo1",
  refs: [{ ref: "refs/heads/main", sha: SHA_A }, { ref: "refs/heads/dev", sha: SHA_B }],
};

Deno.test("deduplicationId() is 64 lowercase hex characters", () => {
  assert.match(deduplicationId(pushed), /^[0-9a-f]{64}$/);
});

Deno.test("deduplicationId() is the same for the same push", () => {
  assert.equal(deduplicationId(pushed), deduplicationId({ ...pushed }));
});

Deno.test("deduplicationId() does not depend on the order of the refs", () => {
  const reversed = { ...pushed, refs: [...pushed.refs].reverse() };
  assert.equal(deduplicationId(reversed), deduplicationId(pushed));
});

Deno.test("deduplicationId() ignores the time and the remote of the event", () => {
  const first = parsePushEvent(body({ at: "2024-05-01T12:00:00Z" }));
  const retried = parsePushEvent(body({ at: "2024-05-01T12:04:59Z", remote: "upstream" }));
  assert.equal(deduplicationId(retried), deduplicationId(first));
});

Deno.test("deduplicationId() does not reorder the refs of the event", () => {
  const refs = [...pushed.refs];
  deduplicationId(pushed);
  assert.deepEqual(pushed.refs, refs);
});

Deno.test("deduplicationId() differs when a sha differs", () => {
  const moved = { ...pushed, refs: [pushed.refs[0]!, { ref: "refs/heads/dev", sha: SHA_A }] };
  assert.notEqual(deduplicationId(moved), deduplicationId(pushed));
});

Deno.test("deduplicationId() differs when a ref is added or removed", () => {
  const fewer = { ...pushed, refs: [pushed.refs[0]!] };
  assert.notEqual(deduplicationId(fewer), deduplicationId(pushed));
});

Deno.test("deduplicationId() differs by host and by repository", () => {
  const base = deduplicationId(pushed);
  assert.notEqual(deduplicationId({ ...pushed, source: "desktop" }), base);
  assert.notEqual(deduplicationId({ ...pushed, repository: "project1/repo2" }), base);
});

Deno.test("messageGroupId() passes a plain repository name through", async () => {
  assert.equal(await messageGroupId("project1/repo1"), "project1/repo1");
  assert.equal(await messageGroupId("a"), "a");
  assert.equal(await messageGroupId("dots.and-dashes_and~tilde!"), "dots.and-dashes_and~tilde!");
});

Deno.test("messageGroupId() passes a name of exactly 128 characters through", async () => {
  const name = "r".repeat(128);
  assert.equal(await messageGroupId(name), name);
});

Deno.test("messageGroupId() hashes a name with a space", async () => {
  assert.match(await messageGroupId("my repo"), /^repo-[0-9a-f]{32}$/);
});

Deno.test("messageGroupId() hashes a name with non-ASCII letters", async () => {
  assert.match(await messageGroupId("projekt/größe"), /^repo-[0-9a-f]{32}$/);
});

Deno.test("messageGroupId() hashes a name longer than 128 characters", async () => {
  assert.match(await messageGroupId("r".repeat(129)), /^repo-[0-9a-f]{32}$/);
});

Deno.test("messageGroupId() hashes an empty name", async () => {
  assert.match(await messageGroupId(""), /^repo-[0-9a-f]{32}$/);
});

Deno.test("messageGroupId() is stable and tells hashed names apart", async () => {
  assert.equal(await messageGroupId("my repo"), await messageGroupId("my repo"));
  assert.notEqual(await messageGroupId("my repo"), await messageGroupId("my  repo"));
});
