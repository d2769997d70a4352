import assert from "node:assert/strict";
import { isDeletion, isObjectId, isValidRefName } from "./ref_format.ts";

/** Each name with the answer `git check-ref-format <name>` gives (exit 0 = valid). */
const CORPUS: ReadonlyArray<readonly [string, boolean]> = [
  ["refs/heads/main", true],
  ["refs/heads/feature/x", true],
  ["refs/heads/feature/deep/nested/name", true],
  ["refs/tags/v1.0", true],
  ["refs/tags/v1.0.0-rc.1+build", true],
  ["refs/foo", true],
  ["refs/heads/a.b", true],
  ["refs/heads/a.lock.b", true],
  ["refs/heads/-x", true],
  ["refs/heads/@", true],
  ["refs/@", true],
  ["refs/heads/a@b", true],
  ["refs/heads/a@", true],
  ["refs/heads/a{1}", true],
  ["refs/heads/a]", true],
  ["refs/heads/a{", true],
  ["refs/heads/ünïcode", true],
  ["refs/heads/😀", true],
  ["refs/heads/../etc", false],
  ["refs/heads/..", false],
  ["refs/heads/a..b", false],
  ["refs/heads/.hidden", false],
  ["refs/.heads/x", false],
  ["refs/heads/a/.b", false],
  ["refs/heads/a/./b", false],
  ["refs/heads/a/.", false],
  ["refs/heads/x.lock", false],
  ["refs/heads/.lock", false],
  ["refs/heads/x.lock/y", false],
  ["refs/heads/a/b.lock/c", false],
  ["refs/heads/a b", false],
  ["refs/heads/a~1", false],
  ["refs/heads/a^", false],
  ["refs/heads/a:b", false],
  ["refs/heads/a?", false],
  ["refs/heads/a*", false],
  ["refs/heads/*", false],
  ["refs/heads/a[", false],
  ["refs/heads/a\\b", false],
  ["refs/heads/a@{1}", false],
  ["refs/heads/@{", false],
  ["refs/heads/", false],
  ["refs/", false],
  ["refs/heads//x", false],
  ["refs/heads/x.", false],
  ["refs/heads/a/", false],
  ["refs/heads/a\tb", false],
  ["refs/heads/a\nb", false],
  ["refs/heads/a\x01", false],
  ["refs/heads/a\x1f", false],
  ["refs/heads/a\x7f", false],
  ["main", false],
  ["heads/main", false],
  ["../../etc/passwd", false],
  ["/refs/heads/main", false],
  ["@", false],
  ["", false],
];

async function gitAccepts(ref: string): Promise<boolean> {
  const { code } = await new Deno.Command("git", {
    args: ["check-ref-format", ref],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  return code === 0;
}

Deno.test("isValidRefName() agrees with git check-ref-format on every name under refs/", async () => {
  const names = CORPUS.map(([ref]) => ref).filter((ref) => ref.startsWith("refs/"));
  const verdicts = await Promise.all(names.map(gitAccepts));
  const disagreements = names
    .map((ref, i) => ({ ref, git: verdicts[i], ours: isValidRefName(ref) }))
    .filter((d) => d.git !== d.ours);
  assert.deepEqual(disagreements, []);
});

Deno.test("isValidRefName() gives the expected answer for each name of the corpus", () => {
  for (const [ref, valid] of CORPUS) assert.equal(isValidRefName(ref), valid, JSON.stringify(ref));
});

Deno.test("isValidRefName() accepts ordinary branch and tag names", () => {
  assert.ok(isValidRefName("refs/heads/main"));
  assert.ok(isValidRefName("refs/heads/feature/x"));
  assert.ok(isValidRefName("refs/tags/v1.0"));
  assert.ok(isValidRefName("refs/remotes/origin/main"));
});

Deno.test("isValidRefName() rejects names outside refs/", () => {
  assert.equal(isValidRefName("main"), false);
  assert.equal(isValidRefName("heads/main"), false);
  assert.equal(isValidRefName("../../etc/passwd"), false);
  assert.equal(isValidRefName("/refs/heads/main"), false);
  assert.equal(isValidRefName("Refs/heads/main"), false);
  assert.equal(isValidRefName(""), false);
});

Deno.test("isValidRefName() rejects path traversal", () => {
  assert.equal(isValidRefName("refs/heads/../etc"), false);
  assert.equal(isValidRefName("refs/heads/../../etc/passwd"), false);
  assert.equal(isValidRefName("refs/../../etc/passwd"), false);
});

Deno.test("isValidRefName() rejects a NUL byte anywhere", () => {
  assert.equal(isValidRefName("refs/heads/a\x00b"), false);
  assert.equal(isValidRefName("refs/heads/a\x00"), false);
});

Deno.test("isValidRefName() rejects every control character and DEL", () => {
  for (let code = 0; code < 0x20; code++) {
    assert.equal(isValidRefName(`refs/heads/a${String.fromCharCode(code)}b`), false, `code ${code}`);
  }
  assert.equal(isValidRefName("refs/heads/a\x7fb"), false);
});

Deno.test("isValidRefName() accepts non-ASCII letters as git does", () => {
  assert.ok(isValidRefName("refs/heads/ünïcode"));
  assert.ok(isValidRefName("refs/heads/日本語"));
});

Deno.test("isValidRefName() rejects names longer than 1024 characters", () => {
  const prefix = "refs/heads/";
  assert.ok(isValidRefName(prefix + "a".repeat(1024 - prefix.length)));
  assert.equal(isValidRefName(prefix + "a".repeat(1025 - prefix.length)), false);
});

Deno.test("isObjectId() accepts full lowercase SHA-1 and SHA-256 ids", () => {
  assert.ok(isObjectId("0123456789abcdef0123456789abcdef01234567"));
  assert.ok(isObjectId("a".repeat(64)));
  assert.ok(isObjectId("0".repeat(40)));
});

Deno.test("isObjectId() rejects short, long, uppercase and non-hex ids", () => {
  assert.equal(isObjectId(""), false);
  assert.equal(isObjectId("abc1234"), false);
  assert.equal(isObjectId("a".repeat(39)), false);
  assert.equal(isObjectId("a".repeat(41)), false);
  assert.equal(isObjectId("a".repeat(63)), false);
  assert.equal(isObjectId("a".repeat(65)), false);
  assert.equal(isObjectId("A".repeat(40)), false);
  assert.equal(isObjectId("g".repeat(40)), false);
  assert.equal(isObjectId(" " + "a".repeat(40)), false);
  assert.equal(isObjectId("a".repeat(40) + "\n"), false);
});

Deno.test("isDeletion() is true for all-zero ids only", () => {
  assert.ok(isDeletion("0".repeat(40)));
  assert.ok(isDeletion("0".repeat(64)));
  assert.equal(isDeletion("0".repeat(39) + "1"), false);
  assert.equal(isDeletion("1" + "0".repeat(39)), false);
  assert.equal(isDeletion(""), false);
});
