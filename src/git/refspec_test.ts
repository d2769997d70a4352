import assert from "node:assert/strict";
import { localRefsFor, parseRefspec, type Refspec } from "./refspec.ts";

function specs(...texts: string[]): Refspec[] {
  return texts.map((text) => {
    const spec = parseRefspec(text);
    assert.ok(spec, `"${text}" parses`);
    return spec;
  });
}

const CLONE = "+refs/heads/*:refs/remotes/origin/*";

Deno.test("parseRefspec() reads a forced wildcard refspec", () => {
  assert.deepEqual(parseRefspec(CLONE), {
    negative: false,
    src: "refs/heads/*",
    dst: "refs/remotes/origin/*",
  });
});

Deno.test("parseRefspec() reads a negative refspec", () => {
  assert.deepEqual(parseRefspec("^refs/heads/wip/*"), { negative: true, src: "refs/heads/wip/*", dst: null });
});

Deno.test("parseRefspec() reads a refspec without a destination as fetching into FETCH_HEAD only", () => {
  assert.deepEqual(parseRefspec("refs/heads/main"), { negative: false, src: "refs/heads/main", dst: null });
  assert.deepEqual(parseRefspec("refs/heads/main:"), { negative: false, src: "refs/heads/main", dst: null });
});

Deno.test("parseRefspec() refuses what git would refuse", () => {
  for (const text of ["", "+", "^", "^a:b", "refs/*/*:refs/x/*", "refs/heads/*:refs/remotes/x", ":refs/x"]) {
    assert.equal(parseRefspec(text), null, `"${text}"`);
  }
});

Deno.test("localRefsFor() maps a branch through the refspec a clone writes", () => {
  assert.deepEqual(localRefsFor("refs/heads/main", specs(CLONE)), ["refs/remotes/origin/main"]);
  assert.deepEqual(localRefsFor("refs/heads/a/b", specs(CLONE)), ["refs/remotes/origin/a/b"]);
});

Deno.test("localRefsFor() maps nothing for a branch a single-branch clone does not fetch", () => {
  const single = specs("+refs/heads/main:refs/remotes/origin/main");
  assert.deepEqual(localRefsFor("refs/heads/main", single), ["refs/remotes/origin/main"]);
  assert.deepEqual(localRefsFor("refs/heads/dev", single), []);
});

Deno.test("localRefsFor() maps nothing for a tag or another namespace under the clone refspec", () => {
  assert.deepEqual(localRefsFor("refs/tags/v1", specs(CLONE)), []);
  assert.deepEqual(localRefsFor("refs/changes/1", specs(CLONE)), []);
});

Deno.test("localRefsFor() honours a narrowed wildcard and a negative refspec", () => {
  const narrowed = specs("+refs/heads/team/*:refs/remotes/up/team/*", "^refs/heads/team/wip");
  assert.deepEqual(localRefsFor("refs/heads/team/x", narrowed), ["refs/remotes/up/team/x"]);
  assert.deepEqual(localRefsFor("refs/heads/team/wip", narrowed), []);
  assert.deepEqual(localRefsFor("refs/heads/main", narrowed), []);
});

Deno.test("localRefsFor() matches a wildcard in the middle of a pattern", () => {
  const middle = specs("refs/heads/*/head:refs/remotes/o/*");
  assert.deepEqual(localRefsFor("refs/heads/feature/head", middle), ["refs/remotes/o/feature"]);
  assert.deepEqual(localRefsFor("refs/heads/feature/tail", middle), []);
});

Deno.test("localRefsFor() reads a short source name as a branch", () => {
  assert.deepEqual(localRefsFor("refs/heads/main", specs("main:refs/remotes/o/main")), [
    "refs/remotes/o/main",
  ]);
});

Deno.test("localRefsFor() lists each local ref once when refspecs overlap", () => {
  const overlapping = specs(
    CLONE,
    "+refs/heads/main:refs/remotes/origin/main",
    "refs/heads/main:refs/keep/main",
  );
  assert.deepEqual(localRefsFor("refs/heads/main", overlapping), [
    "refs/remotes/origin/main",
    "refs/keep/main",
  ]);
});
