import assert from "node:assert/strict";
import { NoMatchError, requireMatch } from "./filter.ts";
import { shortReason } from "./status_report.ts";

Deno.test("requireMatch() accepts an absent filter and a known name", () => {
  requireMatch("host", undefined, []);
  requireMatch("host", "laptop", ["desktop", "laptop"]);
  requireMatch("repository", "repo1", ["project/repo1"]);
});

Deno.test("requireMatch() names the unknown value and the known ones, sorted", () => {
  assert.throws(
    () => requireMatch("host", "x", ["laptop", "desktop"]),
    (e: Error) => e instanceof NoMatchError && e.message === 'no host named "x"; known: desktop, laptop',
  );
  assert.throws(
    () => requireMatch("repository", "nosuch", []),
    (e: Error) => e.message === 'no repository named "nosuch"; known: none recorded yet',
  );
});

Deno.test("requireMatch() shortens a long list and escapes the wanted name", () => {
  const known = Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, "0")}`);
  assert.throws(
    () => requireMatch("repository", "a\nb\x1b[31m", known),
    (e: Error) =>
      e.message.startsWith('no repository named "a\\nb\\u001b[31m"; known: r00, r01') &&
      e.message.endsWith(", … (30 in all)") && !e.message.includes("\n"),
  );
});

Deno.test("shortReason() keeps git's words and drops the command line and folder", () => {
  assert.equal(
    shortReason(
      'git fetch --quiet --no-auto-gc --multiple --end-of-options origin in "/home/u/r" exited with 128: fatal: could not read from remote repository.',
    ),
    "fetch failed: could not read from remote repository.",
  );
  assert.equal(
    shortReason('git fetch --quiet origin in "/r" timed out: killed after 30000 ms'),
    "fetch timed out: killed after 30000 ms",
  );
  assert.equal(shortReason('git status in "/r" exited with 1'), "status failed");
  assert.equal(shortReason('"/r" does not exist'), '"/r" does not exist');
});
