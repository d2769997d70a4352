import assert from "node:assert/strict";
import {
  changesInTheWay,
  describeChanges,
  type LocalChange,
  parseFlaggedEntries,
  parseStatusLines,
} from "./local_changes.ts";

const kinds = (changes: LocalChange[]) => changes.map((c) => `${c.path}=${c.kind}`);
const OID = "0123456789012345678901234567890123456789";

Deno.test("parseStatusLines() names each kind of change", () => {
  const output = [
    "# branch.oid " + OID,
    `1 .M N... 100644 100644 100644 ${OID} ${OID} edited.txt`,
    `1 M. N... 100644 100644 100644 ${OID} ${OID} staged.txt`,
    `1 .D N... 100644 100644 000000 ${OID} ${OID} gone.txt`,
    `1 .T N... 100644 100644 120000 ${OID} ${OID} link`,
    `1 .M N... 100644 100644 100755 ${OID} ${OID} run.sh`,
    `2 R. N... 100644 100644 100644 ${OID} ${OID} R100 new name.txt\told.txt`,
    `u UU N... 100644 100644 100644 100644 ${OID} ${OID} ${OID} both.txt`,
    "? notes/",
    '! "caf\\351"',
  ].join("\n");
  assert.deepEqual(kinds(parseStatusLines(output)), [
    "edited.txt=modified",
    "staged.txt=staged",
    "gone.txt=deleted",
    "link=type changed",
    "run.sh=mode changed",
    "new name.txt=renamed",
    "old.txt=renamed away",
    "both.txt=conflicted",
    "notes=untracked",
    "caf\u00e9=ignored",
  ]);
});

Deno.test("parseFlaggedEntries() keeps skip-worktree, assume-unchanged and unmerged entries", () => {
  const output = ["H plain.txt", "S sparse.txt", "h assumed.txt", "M conflict.txt", ""].join("\n");
  assert.deepEqual(kinds(parseFlaggedEntries(output)), [
    "sparse.txt=skip-worktree",
    "assumed.txt=assume-unchanged",
    "conflict.txt=conflicted",
  ]);
});

Deno.test("changesInTheWay() finds changes at, above and below incoming paths", () => {
  const change = (path: string): LocalChange => ({ path, kind: "untracked", line: `? ${path}` });
  const incoming = new Set(["docs/guide.md", "tool", "README.md"]);
  const found = changesInTheWay(incoming, [
    change("README.md"),
    change("docs"),
    change("tool/config"),
    change("docs-old/guide.md"),
    change("READMEmd"),
  ]);
  assert.deepEqual(found.map((c) => c.path), ["README.md", "docs", "tool/config"]);
});

Deno.test("describeChanges() names the first few paths once each", () => {
  const change = (path: string, kind = "modified"): LocalChange => ({ path, kind, line: path });
  assert.equal(
    describeChanges([change("a"), change("a", "staged"), change("b")]),
    "a (modified), b (modified)",
  );
  assert.equal(
    describeChanges(["a", "b", "c", "d", "e"].map((p) => change(p))),
    "a (modified), b (modified), c (modified) and 2 more",
  );
});
