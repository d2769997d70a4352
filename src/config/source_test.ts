import assert from "node:assert/strict";
import { parseConfigSource } from "./source.ts";
import { assertConfigError } from "./_testing.ts";

const FILE = "/home/user/.gitargus/config.yml";

function assertRefused(text: string, line: number | undefined, fragment: string): void {
  let caught: unknown;
  try {
    parseConfigSource(text, FILE);
  } catch (error) {
    caught = error;
  }
  assertConfigError(caught, { keyPath: undefined, line, fragment });
}

Deno.test("parseConfigSource() refuses an empty file", () => {
  assertRefused("", undefined, "is empty");
  assertRefused("\n  \n", undefined, "is empty");
});

Deno.test("parseConfigSource() refuses a file of comments only", () => {
  assertRefused("# hostname: machine\n# root: /r\n", undefined, "is empty");
});

Deno.test("parseConfigSource() reports a YAML syntax error with line, column and reason", () => {
  assertRefused("root: /r\nrepositories: [a, b\nhostname: x\n", 3, "YAML syntax error at line 3, column 1:");
  assertRefused(
    "root: /r\nkey: @bad\n",
    2,
    "at line 2, column 6: Plain value cannot start with reserved character @",
  );
});

Deno.test("parseConfigSource() reports a duplicated key as a syntax error", () => {
  assertRefused("root: /a\nroot: /b\n", 2, "Map keys must be unique");
});

Deno.test("parseConfigSource() refuses a top level that is a list", () => {
  assertRefused("# list\n- root: /r\n", 2, "expected a mapping of keys at the top level, got a list");
});

Deno.test("parseConfigSource() refuses a top level that is a single value", () => {
  assertRefused("just text\n", 1, "got a single value");
});

Deno.test("locate() finds the line of a key, a list item and a key inside an item", () => {
  const { locate } = parseConfigSource(
    "# head\nroot: /r\nrepositories:\n  - a\n\n  - name: b\n    autoPull: false\naws:\n  sqs: { queue: q }\n",
    FILE,
  );
  assert.equal(locate(["root"]), 2);
  assert.equal(locate(["repositories"]), 3);
  assert.equal(locate(["repositories", 0]), 4);
  assert.equal(locate(["repositories", 1]), 6);
  assert.equal(locate(["repositories", 1, "autoPull"]), 7);
  assert.equal(locate(["aws", "sqs", "queue"]), 9);
  assert.equal(locate(["aws", "sns"]), undefined);
  assert.equal(locate(["repositories", 5]), undefined);
});
