import assert from "node:assert/strict";
import { type Palette, table } from "./output.ts";

const plain: Palette = {
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  cyan: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

Deno.test("table() aligns columns by visible width, ignoring color codes", () => {
  const text = table(["A", "B"], [["\x1b[31mred\x1b[39m", "x"], ["long cell", "y"]], plain);
  assert.deepEqual(text.split("\n"), ["A          B", "\x1b[31mred\x1b[39m        x", "long cell  y"]);
});

Deno.test("table() cuts the last column to the width given, with an ellipsis", () => {
  const notes = "local changes would be overwritten: a.txt, b.txt, c.txt";
  const lines = table(["NAME", "NOTES"], [["repo", notes]], plain, 30).split("\n");
  assert.equal(lines[1], "repo  local changes would be …");
  assert.equal([...lines[1]!].length, 30);
});

Deno.test("table() keeps whole lines without a width and leaves short notes alone", () => {
  const notes = "x".repeat(200);
  assert.equal(table(["N", "NOTES"], [["r", notes]], plain).split("\n")[1], `r  ${notes}`);
  assert.equal(table(["N", "NOTES"], [["r", "short"]], plain, 80).split("\n")[1], "r  short");
});
