import assert from "node:assert/strict";
import * as node from "node:path";
import { basename, dirname, join, resolve } from "./path.ts";

const JOINS: string[][] = [
  ["/a", "b", "c"],
  ["/a/", "/b/", "c/"],
  ["a", "..", "b"],
  ["/a/b", "../../.."],
  ["a", ".", "b"],
  ["", "a"],
  ["../a", "b"],
  ["/"],
];

Deno.test("join() agrees with node:path for ordinary and odd inputs", () => {
  for (const parts of JOINS) assert.equal(join(...parts), node.join(...parts), JSON.stringify(parts));
});

Deno.test("dirname() and basename() agree with node:path", () => {
  for (const path of ["/a/b/c", "/a/b/", "a", "/", "/a", "a/b", "a/b/"]) {
    assert.equal(dirname(path), node.dirname(path), path);
    assert.equal(basename(path), node.basename(path), path);
  }
});

Deno.test("resolve() makes a path absolute against a base", () => {
  assert.equal(resolve("x/../y", "/base"), "/base/y");
  assert.equal(resolve("/abs/./p", "/base"), "/abs/p");
});
