import assert from "node:assert/strict";
import {
  fileName,
  keyOf,
  parentDirectories,
  QuotedPathError,
  readQuotedPath,
  showPath,
} from "./quoted_path.ts";

Deno.test("readQuotedPath() keeps a bare path as it is", () => {
  assert.equal(readQuotedPath("src/a b.ts"), "src/a b.ts");
});

Deno.test("readQuotedPath() turns octal escapes into one character per byte", () => {
  assert.equal(readQuotedPath('"caf\\303\\251"'), "caf\u00c3\u00a9");
  assert.equal(fileName(readQuotedPath('"caf\\303\\251"')), "café");
});

Deno.test("readQuotedPath() reads the named escapes", () => {
  assert.equal(readQuotedPath('"a\\tb\\nc\\"d\\\\e"'), 'a\tb\nc"d\\e');
});

Deno.test("readQuotedPath() rejects what git never prints", () => {
  assert.throws(() => readQuotedPath('"open'), QuotedPathError);
  assert.throws(() => readQuotedPath('"bad \\q"'), QuotedPathError);
  assert.throws(() => readQuotedPath('"\\39"'), QuotedPathError);
});

Deno.test("names that differ only in bytes that are not UTF-8 stay different", () => {
  const e9 = readQuotedPath('"caf\\351"');
  const e8 = readQuotedPath('"caf\\350"');
  assert.notEqual(e9, e8);
  assert.equal(showPath(e9), showPath(e8), "both show as a replacement character");
  assert.equal(fileName(e9), null);
});

Deno.test("keyOf() gives the key git's quoting gives for the same name", () => {
  assert.equal(keyOf("café"), readQuotedPath('"caf\\303\\251"'));
});

Deno.test("parentDirectories() lists every directory above a path", () => {
  assert.deepEqual(parentDirectories("a/b/c.txt"), ["a", "a/b"]);
  assert.deepEqual(parentDirectories("top.txt"), []);
});
