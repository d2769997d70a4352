import assert from "node:assert/strict";
import { decodeName, escapeText, isUtf8, needsEscape } from "./escape.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

Deno.test("escapeText() leaves ordinary text, spaces, backslashes and non-ASCII letters alone", () => {
  for (const text of ["main", "project1/repo1", "a b\\c", "Ärger.txt", "日本語", "emoji 🎉", ""]) {
    assert.equal(escapeText(text), text);
  }
});

Deno.test("escapeText() turns line breaks and tabs into visible escapes, so no log line can be forged", () => {
  assert.equal(escapeText("a\nb"), "a\\nb");
  assert.equal(escapeText("a\r\nb"), "a\\r\\nb");
  assert.equal(escapeText("a\tb"), "a\\tb");
  assert.equal(
    escapeText("x\n2026-01-01 00:00:00 [ERR] forged line"),
    "x\\n2026-01-01 00:00:00 [ERR] forged line",
  );
});

Deno.test("escapeText() shows terminal escape sequences instead of letting them act", () => {
  assert.equal(escapeText("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  assert.equal(escapeText("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  assert.equal(escapeText("bell\x07 backspace\x08 nul\x00"), "bell\\x07 backspace\\x08 nul\\x00");
});

Deno.test("escapeText() escapes DEL and the C1 controls, among them the one-character CSI", () => {
  assert.equal(escapeText("a\x7fb"), "a\\x7fb");
  assert.equal(escapeText("\u009b31m"), "\\x9b31m");
  assert.equal(escapeText("\u0085next"), "\\x85next");
  assert.equal(escapeText("\u0080\u009f"), "\\x80\\x9f");
});

Deno.test("escapeText() escapes bidirectional overrides and isolates that reorder what follows", () => {
  assert.equal(escapeText("invoice\u202egpj.exe"), "invoice\\u202egpj.exe");
  for (
    const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]
  ) {
    const char = String.fromCodePoint(code);
    assert.equal(escapeText(char), `\\u${code.toString(16).padStart(4, "0")}`);
  }
});

Deno.test("escapeText() escapes the Unicode line and paragraph separators and the byte-order mark", () => {
  assert.equal(escapeText("a\u2028b\u2029c\ufeff"), "a\\u2028b\\u2029c\\ufeff");
});

Deno.test("needsEscape() says whether escapeText() would change the text, on repeated calls too", () => {
  assert.equal(needsEscape("plain"), false);
  assert.equal(needsEscape("a\nb"), true);
  assert.equal(needsEscape("a\nb"), true);
  assert.equal(needsEscape("x\u202e"), true);
  assert.equal(needsEscape("Ärger"), false);
});

Deno.test("decodeName() returns UTF-8 names unchanged", () => {
  const encoded = new TextEncoder().encode("dir/Ärger 日本.txt");
  assert.equal(decodeName(encoded), "dir/Ärger 日本.txt");
  assert.equal(isUtf8(encoded), true);
});

Deno.test("decodeName() keeps every byte of a name that is not UTF-8, as \\xNN", () => {
  assert.equal(decodeName(bytes(0x61, 0xff, 0x62)), "a\\xffb");
  assert.equal(decodeName(bytes(0xc3)), "\\xc3");
  assert.equal(decodeName(bytes(0xc3, 0xa4, 0xff)), "ä\\xff");
  assert.equal(isUtf8(bytes(0x61, 0xff)), false);
});

Deno.test("decodeName() rejects overlong forms, surrogates and code points above U+10FFFF byte by byte", () => {
  assert.equal(decodeName(bytes(0xc0, 0xaf)), "\\xc0\\xaf");
  assert.equal(decodeName(bytes(0xe0, 0x80, 0xaf)), "\\xe0\\x80\\xaf");
  assert.equal(decodeName(bytes(0xed, 0xa0, 0x80)), "\\xed\\xa0\\x80");
  assert.equal(decodeName(bytes(0xf4, 0x90, 0x80, 0x80)), "\\xf4\\x90\\x80\\x80");
  assert.equal(decodeName(bytes(0xf0, 0x9f, 0x8e, 0x89, 0x80)), "🎉\\x80");
});

Deno.test("decodeName() treats a sequence cut short by the end of the name as single bytes", () => {
  assert.equal(decodeName(bytes(0x78, 0xe6, 0x97)), "x\\xe6\\x97");
  assert.equal(decodeName(bytes(0xf0, 0x9f, 0x8e)), "\\xf0\\x9f\\x8e");
});
