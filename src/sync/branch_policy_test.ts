import assert from "node:assert/strict";
import {
  type AutoPull,
  branchFilter,
  branchGlobProblem,
  describeAutoPull,
  policyReason,
} from "./branch_policy.ts";

/** The branches of `names` the policy lets move; `checkedOut` is the one in the worktree. */
function moving(policy: AutoPull, names: string[], checkedOut = "main"): string[] {
  const allows = branchFilter(policy);
  return names.filter((name) => allows(name, name === checkedOut));
}

const BRANCHES = ["main", "topic", "release/1.2", "release/1/2", "release", "hotfix/release/3"];

Deno.test("branchFilter() keeps the boolean forms: true moves every branch, false none", () => {
  assert.deepEqual(moving(true, BRANCHES), BRANCHES);
  assert.deepEqual(moving(false, BRANCHES), []);
});

Deno.test("branchFilter() splits by the checked-out branch for current and others", () => {
  assert.deepEqual(moving("current", BRANCHES), ["main"]);
  assert.deepEqual(moving("others", BRANCHES), BRANCHES.filter((b) => b !== "main"));
  assert.deepEqual(moving("current", BRANCHES, "topic"), ["topic"]);
});

Deno.test("branchFilter() matches globs against the short name with FNM_PATHNAME: * stops at /", () => {
  assert.deepEqual(moving(["main", "release/*"], BRANCHES), ["main", "release/1.2"]);
  assert.deepEqual(moving(["*"], BRANCHES), ["main", "topic", "release"]);
  assert.deepEqual(moving(["release/**"], BRANCHES), ["release/1.2", "release/1/2"]);
  assert.deepEqual(moving(["**/release/*"], BRANCHES), ["release/1.2", "hotfix/release/3"]);
  assert.deepEqual(moving(["release/?.?"], BRANCHES), ["release/1.2"]);
  assert.deepEqual(moving(["ma"], BRANCHES), [], "a plain name matches only itself, not a prefix");
});

Deno.test("branchFilter() reads bracket classes as fnmatch does", () => {
  const names = ["v1", "v2", "v9", "va", "v-", "v]"];
  assert.deepEqual(moving(["v[1-2]"], names), ["v1", "v2"]);
  assert.deepEqual(moving(["v[!0-9]"], names), ["va", "v-", "v]"]);
  assert.deepEqual(moving(["v[]a]"], names), ["va", "v]"], "a ] first in the class is literal");
  assert.deepEqual(moving(["v[-]"], names), ["v-"]);
  assert.deepEqual(moving(["release[!x]1.2"], ["release/1.2"]), [], "no class matches /");
});

Deno.test("branchFilter() treats regular-expression characters in a glob as themselves", () => {
  assert.deepEqual(moving(["release/1.2"], ["release/1.2", "release/1x2"]), ["release/1.2"]);
  assert.deepEqual(moving(["a+b(c)"], ["a+b(c)", "aab(c)"]), ["a+b(c)"]);
});

Deno.test("branchGlobProblem() accepts globs that can match a branch", () => {
  for (const glob of ["main", "release/*", "**", "feature/**/wip", "v[0-9]*", "[!_]*", "a]b", "user@host"]) {
    assert.equal(branchGlobProblem(glob), null, glob);
  }
});

Deno.test("branchGlobProblem() names what cannot match any branch", () => {
  const problems: Array<[string, RegExp]> = [
    ["", /empty/],
    ["  ", /empty/],
    ["refs/heads/main", /short name: write "main"/],
    ["my branch", /spaces/],
    ["a:b", /~ \^ :/],
    ["a..b", /"\.\."/],
    ["a@{1}", /"@\{"/],
    ["release/", /end with \//],
    ["/main", /start/],
    ["a//b", /empty level/],
    ["-x", /"-"/],
    ["release/[0-9", /not closed/],
    ["v[]", /not closed/],
    ["v[!]", /not closed/],
    ["v[z-a]", /runs backwards/],
  ];
  for (const [glob, expected] of problems) assert.match(branchGlobProblem(glob) ?? "(none)", expected, glob);
});

Deno.test("policyReason() names the policy as written", () => {
  assert.equal(policyReason("others"), "policy: autoPull is others");
  assert.equal(describeAutoPull(["main", "release/*"]), "[main, release/*]");
  assert.equal(describeAutoPull(false), "false");
});
