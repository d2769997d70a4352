import assert from "node:assert/strict";
import { parsePorcelainV2, parseTrack, PorcelainParseError } from "./status.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const z = (...fields: string[]) => fields.join("\0") + "\0";

Deno.test("parsePorcelainV2() reads branch, upstream, ahead and behind", () => {
  const status = parsePorcelainV2(
    z(`# branch.oid ${SHA}`, "# branch.head main", "# branch.upstream origin/main", "# branch.ab +2 -3"),
  );
  assert.equal(status.oid, SHA);
  assert.equal(status.branch, "main");
  assert.equal(status.upstream, "origin/main");
  assert.equal(status.ahead, 2);
  assert.equal(status.behind, 3);
  assert.equal(status.changes.entries.length, 0);
});

Deno.test("parsePorcelainV2() reports a detached HEAD and an unborn branch", () => {
  assert.equal(parsePorcelainV2(z(`# branch.oid ${SHA}`, "# branch.head (detached)")).branch, null);
  const unborn = parsePorcelainV2(z("# branch.oid (initial)", "# branch.head main"));
  assert.equal(unborn.oid, null);
  assert.equal(unborn.branch, "main");
});

Deno.test("parsePorcelainV2() leaves ahead and behind unset when the upstream is gone", () => {
  const status = parsePorcelainV2(
    z(`# branch.oid ${SHA}`, "# branch.head main", "# branch.upstream origin/gone"),
  );
  assert.equal(status.upstream, "origin/gone");
  assert.equal(status.ahead, null);
});

Deno.test("parsePorcelainV2() reads the stash count", () => {
  assert.equal(parsePorcelainV2(z("# branch.head main", "# stash 4")).stashes, 4);
});

Deno.test("parsePorcelainV2() counts staged, unstaged, untracked and conflicted entries", () => {
  const status = parsePorcelainV2(z(
    `1 M. N... 100644 100644 100644 ${SHA} ${SHA} staged.txt`,
    `1 .M N... 100644 100644 100644 ${SHA} ${SHA} unstaged.txt`,
    `1 MM N... 100644 100644 100644 ${SHA} ${SHA} both.txt`,
    `u UU N... 100644 100644 100644 100644 ${SHA} ${SHA} ${SHA} conflict.txt`,
    "? new file.txt",
    "! ignored.log",
  ));
  assert.deepEqual(
    { ...status.changes, entries: status.changes.entries.map((e) => `${e.code} ${e.path}`) },
    {
      staged: 2,
      unstaged: 2,
      untracked: 1,
      conflicted: 1,
      truncated: false,
      entries: ["M. staged.txt", ".M unstaged.txt", "MM both.txt", "UU conflict.txt", "?? new file.txt"],
    },
  );
});

Deno.test("parsePorcelainV2() keeps spaces in paths and the source of a rename", () => {
  const status = parsePorcelainV2(
    z(`2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 new name.txt`, "old name.txt"),
  );
  assert.deepEqual(status.changes.entries, [{ code: "R.", path: "new name.txt", from: "old name.txt" }]);
  assert.equal(status.changes.staged, 1);
});

Deno.test("parsePorcelainV2() caps the entries but counts them all", () => {
  const many = Array.from({ length: 30 }, (_, i) => `? file${i}`);
  const status = parsePorcelainV2(z(...many), 5);
  assert.equal(status.changes.entries.length, 5);
  assert.equal(status.changes.untracked, 30);
  assert.equal(status.changes.truncated, true);
});

Deno.test("parsePorcelainV2() rejects an entry it does not know", () => {
  assert.throws(() => parsePorcelainV2(z("x what")), PorcelainParseError);
  assert.throws(() => parsePorcelainV2(z("# branch.ab nonsense")), PorcelainParseError);
});

Deno.test("parseTrack() reads every form git prints", () => {
  assert.deepEqual(parseTrack(""), { ahead: 0, behind: 0, gone: false });
  assert.deepEqual(parseTrack("ahead 2"), { ahead: 2, behind: 0, gone: false });
  assert.deepEqual(parseTrack("behind 1"), { ahead: 0, behind: 1, gone: false });
  assert.deepEqual(parseTrack("ahead 2, behind 1"), { ahead: 2, behind: 1, gone: false });
  assert.deepEqual(parseTrack("gone"), { ahead: 0, behind: 0, gone: true });
});

/** Porcelain output as git writes it: text fields joined by NUL, with raw bytes where a name is not UTF-8. */
function zBytes(...fields: Array<string | Uint8Array>): Uint8Array {
  const parts = fields.map((f) => typeof f === "string" ? new TextEncoder().encode(f) : f);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length + 1;
  }
  return out;
}

Deno.test("parsePorcelainV2() keeps the bytes of a path that is not UTF-8 as \\xNN escapes", () => {
  const name = new Uint8Array([
    ...new TextEncoder().encode("? dir"),
    0xff,
    ...new TextEncoder().encode("/f.txt"),
  ]);
  const status = parsePorcelainV2(zBytes("# branch.oid " + SHA, "# branch.head main", name));
  assert.deepEqual(status.changes.entries, [{ code: "??", path: "dir\\xff/f.txt" }]);
  assert.equal(status.branch, "main");
});

Deno.test("parsePorcelainV2() reads bytes and text alike for UTF-8 names, renames included", () => {
  const fields = [`2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 neu Ärger.txt`, "alt.txt", "? 日本.txt"];
  assert.deepEqual(parsePorcelainV2(zBytes(...fields)), parsePorcelainV2(z(...fields)));
});

Deno.test("parsePorcelainV2() keeps a rename's source path that is not UTF-8", () => {
  const from = new Uint8Array([0x6f, 0x6c, 0x64, 0xfe]);
  const status = parsePorcelainV2(zBytes(`2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 new`, from));
  assert.deepEqual(status.changes.entries, [{ code: "R.", path: "new", from: "old\\xfe" }]);
});
