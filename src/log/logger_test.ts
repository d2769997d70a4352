import assert from "node:assert/strict";
import { formatValue } from "./logger.ts";

const inspect = (value: unknown) => Deno.inspect(value);

Deno.test("formatValue() prints strings without quotes", () => {
  assert.equal(formatValue("project1/repo1", inspect), "project1/repo1");
});

Deno.test("formatValue() keeps a value with a newline on one line", () => {
  assert.equal(formatValue("a\n2026-01-01 [ERR] forged", inspect), "a\\n2026-01-01 [ERR] forged");
});

Deno.test("formatValue() shows escape sequences and bidi overrides instead of passing them to the terminal", () => {
  assert.equal(formatValue("\x1b[2J\u202e", inspect), "\\x1b[2J\\u202e");
});

Deno.test("formatValue() hides credentials in strings and in inspected objects", () => {
  assert.equal(formatValue("https://u:tok@h/r", inspect), "https://u:***@h/r");
  assert.doesNotMatch(formatValue({ url: "https://u:tok@h/r" }, inspect), /tok/);
});

Deno.test("formatValue() keeps a multi-line inspected object on one line", () => {
  const text = formatValue({ a: "x".repeat(50), b: "y".repeat(50), c: ["z".repeat(40)] }, inspect);
  assert.doesNotMatch(text, /\n/);
});
