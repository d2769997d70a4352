import assert from "node:assert/strict";
import { parseWipRef, wipBranchName, wipRef } from "./refs.ts";
import { parseRaw } from "./tree_diff.ts";

Deno.test("wipRef() and parseWipRef() agree, branches with slashes included", () => {
  for (const branch of ["main", "feature/x", "HEAD"]) {
    assert.deepEqual(parseWipRef(wipRef("laptop", branch)), { host: "laptop", branch });
  }
  assert.equal(parseWipRef("refs/heads/main"), null);
  assert.equal(parseWipRef("refs/gitargus/wip/laptop"), null);
  assert.equal(wipBranchName("laptop", "feature/x"), "wip/laptop/feature/x");
});

Deno.test("wipRef() refuses names git would not take", () => {
  for (const branch of ["a..b", "x.lock", "sp ace", "tilde~1", ""]) {
    assert.throws(() => wipRef("laptop", branch));
  }
});

Deno.test("parseRaw() reads diff-tree's -z records, renames with their source", () => {
  const z = "0".repeat(40);
  const a = "a".repeat(40);
  const output = [`:000000 100644 ${z} ${a} A`, "new.txt", `:100644 100755 ${a} ${a} M`, "run.sh"]
    .concat([`:100644 100644 ${a} ${a} R100`, "old.txt", "moved.txt", ""]).join("\0");
  assert.deepEqual(parseRaw(output).map((c) => [c.status, c.path, c.from ?? null, c.dstMode]), [
    ["A", "new.txt", null, "100644"],
    ["M", "run.sh", null, "100755"],
    ["R", "moved.txt", "old.txt", "100644"],
  ]);
});
