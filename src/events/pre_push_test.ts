import assert from "node:assert/strict";
import { join } from "node:path";
import { announcePush, parsePrePushInput } from "./pre_push.ts";
import { Outbox } from "./outbox.ts";
import type { PushEvent } from "./push_event.ts";
import type { Config } from "../config/types.ts";

const LOCAL = "0123456789abcdef0123456789abcdef01234567";
const REMOTE = "89abcdef0123456789abcdef0123456789abcdef";
const ZERO = "0".repeat(40);

const line = (localRef: string, localSha: string, remoteRef: string, remoteSha: string) =>
  `${localRef} ${localSha} ${remoteRef} ${remoteSha}`;

Deno.test("parsePrePushInput() reads one pushed ref", () => {
  assert.deepEqual(parsePrePushInput(line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE) + "\n"), [
    { ref: "refs/heads/main", sha: LOCAL },
  ]);
});

Deno.test("parsePrePushInput() names the remote ref, not the local one", () => {
  assert.deepEqual(parsePrePushInput(line("refs/heads/topic", LOCAL, "refs/heads/feature/x", REMOTE)), [
    { ref: "refs/heads/feature/x", sha: LOCAL },
  ]);
});

Deno.test("parsePrePushInput() reads a new branch, whose remote sha is zero", () => {
  assert.deepEqual(parsePrePushInput(line("refs/heads/new", LOCAL, "refs/heads/new", ZERO)), [
    { ref: "refs/heads/new", sha: LOCAL },
  ]);
});

Deno.test("parsePrePushInput() reads several lines in order", () => {
  const input = [
    line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE),
    line("refs/tags/v1.0", REMOTE, "refs/tags/v1.0", ZERO),
    line("refs/heads/dev", LOCAL, "refs/heads/dev", REMOTE),
  ].join("\n") + "\n";
  assert.deepEqual(parsePrePushInput(input), [
    { ref: "refs/heads/main", sha: LOCAL },
    { ref: "refs/tags/v1.0", sha: REMOTE },
    { ref: "refs/heads/dev", sha: LOCAL },
  ]);
});

Deno.test("parsePrePushInput() reads a deletion with a zero local sha", () => {
  assert.deepEqual(parsePrePushInput(line("(delete)", ZERO, "refs/heads/old", REMOTE) + "\n"), [
    { ref: "refs/heads/old", sha: ZERO },
  ]);
});

Deno.test("parsePrePushInput() reads SHA-256 object ids", () => {
  const sha = "a".repeat(64);
  assert.deepEqual(parsePrePushInput(line("refs/heads/main", sha, "refs/heads/main", "0".repeat(64))), [
    { ref: "refs/heads/main", sha },
  ]);
});

Deno.test("parsePrePushInput() gives nothing for empty input", () => {
  assert.deepEqual(parsePrePushInput(""), []);
  assert.deepEqual(parsePrePushInput("\n"), []);
  assert.deepEqual(parsePrePushInput("\n\n  \n"), []);
});

Deno.test("parsePrePushInput() skips garbage lines and keeps the good ones", () => {
  const input = [
    "garbage",
    "too few fields here",
    line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE) + " extra",
    line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE),
    "a b c d",
  ].join("\n");
  assert.deepEqual(parsePrePushInput(input), [{ ref: "refs/heads/main", sha: LOCAL }]);
});

Deno.test("parsePrePushInput() skips a line with an invalid remote ref", () => {
  const input = [
    line("refs/heads/a", LOCAL, "refs/heads/../../etc", REMOTE),
    line("refs/heads/b", LOCAL, "main", REMOTE),
    line("refs/heads/c", LOCAL, "refs/heads/x.lock", REMOTE),
    line("refs/heads/ok", LOCAL, "refs/heads/ok", REMOTE),
  ].join("\n");
  assert.deepEqual(parsePrePushInput(input), [{ ref: "refs/heads/ok", sha: LOCAL }]);
});

Deno.test("parsePrePushInput() skips a line with an invalid local sha", () => {
  const input = [
    line("refs/heads/a", "abc1234", "refs/heads/a", REMOTE),
    line("refs/heads/b", LOCAL.toUpperCase(), "refs/heads/b", REMOTE),
    line("refs/heads/c", "z".repeat(40), "refs/heads/c", REMOTE),
  ].join("\n");
  assert.deepEqual(parsePrePushInput(input), []);
});

Deno.test("parsePrePushInput() accepts CRLF line endings", () => {
  const input = line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE) + "\r\n" +
    line("refs/heads/dev", REMOTE, "refs/heads/dev", ZERO) + "\r\n";
  assert.deepEqual(parsePrePushInput(input), [
    { ref: "refs/heads/main", sha: LOCAL },
    { ref: "refs/heads/dev", sha: REMOTE },
  ]);
});

Deno.test("parsePrePushInput() accepts input without a trailing newline", () => {
  assert.deepEqual(parsePrePushInput(line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE)), [
    { ref: "refs/heads/main", sha: LOCAL },
  ]);
});

Deno.test("parsePrePushInput() ignores surrounding spaces on a line", () => {
  assert.deepEqual(parsePrePushInput(`  ${line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE)}  \n`), [
    { ref: "refs/heads/main", sha: LOCAL },
  ]);
});

Deno.test("announcePush() publishes itself when the running daemon's outbox cannot be written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-hook-" });
  try {
    // A file where the outbox folder should be: no user, root included, can create entries under it.
    await Deno.writeTextFile(join(dir, "blocked"), "");
    const published: PushEvent[] = [];
    const config = { hostname: "a", repositories: [{ name: "repo1", path: dir }] } as unknown as Config;
    const result = await announcePush(
      {
        config,
        cwd: dir,
        now: () => new Date("2024-05-01T12:00:00.000Z"),
        outbox: new Outbox(join(dir, "blocked", "outbox")),
        publisher: () =>
          Promise.resolve({ publish: (event: PushEvent) => (published.push(event), Promise.resolve()) }),
        daemonAlive: () => Promise.resolve(true),
      },
      "origin",
      line("refs/heads/main", LOCAL, "refs/heads/main", REMOTE) + "\n",
    );
    assert.equal(result.outcome, "published");
    assert.deepEqual(published.map((e) => e.refs), [[{ ref: "refs/heads/main", sha: LOCAL }]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
