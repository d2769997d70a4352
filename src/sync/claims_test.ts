import assert from "node:assert/strict";
import { parseWorktreeList, type Worktree } from "../git/worktrees.ts";
import { claimOn } from "./claims.ts";

Deno.test("parseWorktreeList() reads each worktree's path and branch", () => {
  const output = [
    "worktree /w/repo",
    "HEAD 1111111111111111111111111111111111111111",
    "branch refs/heads/main",
    "",
    "worktree /w/wt feature",
    "HEAD 2222222222222222222222222222222222222222",
    "detached",
    "prunable gitdir file points to non-existent location",
    "",
    "",
  ].join("\0");
  assert.deepEqual(parseWorktreeList(output), [
    { path: "/w/repo", branch: "refs/heads/main", bare: false },
    { path: "/w/wt feature", branch: null, bare: false },
  ]);
});

const worktree = (fields: Partial<Worktree>): Worktree => ({
  path: "/w/wt",
  gitDir: "/w/repo/.git/worktrees/wt",
  branch: null,
  missing: false,
  here: false,
  operation: null,
  ...fields,
});

Deno.test("claimOn() names the worktree that has the branch checked out", () => {
  const claims = [
    worktree({ here: true, path: "/w/repo", branch: "refs/heads/main" }),
    worktree({ branch: "refs/heads/f" }),
  ];
  assert.equal(claimOn(claims, "refs/heads/f", "/w/repo"), "f is checked out in worktree ../wt");
  assert.equal(
    claimOn(claims, "refs/heads/main", "/w/repo"),
    null,
    "this worktree's own checkout is not a claim",
  );
});

Deno.test("claimOn() prefers the operation over the checkout and says what it is", () => {
  assert.equal(
    claimOn(
      [worktree({ operation: { kind: "rebase", branch: "refs/heads/main" } })],
      "refs/heads/main",
      "/w/repo",
    ),
    "main is being rebased in worktree ../wt",
  );
  assert.equal(
    claimOn(
      [worktree({ branch: "refs/heads/f", operation: { kind: "merge", branch: "refs/heads/f" } })],
      "refs/heads/f",
      "/w/repo",
    ),
    "a merge into f is in progress in worktree ../wt",
  );
});

Deno.test("claimOn() says when the worktree's directory is gone", () => {
  assert.match(
    claimOn([worktree({ branch: "refs/heads/f", missing: true })], "refs/heads/f", "/w/repo") ?? "",
    /^f is checked out in worktree \.\.\/wt \(its directory is missing: `git worktree repair <new path>` if it was moved, `git worktree prune` if deleted\)$/,
  );
});

Deno.test("claimOn() says a locked worktree whose directory is gone must be unlocked before pruning", () => {
  assert.match(
    claimOn([worktree({ branch: "refs/heads/f", missing: true, locked: true })], "refs/heads/f", "/w/repo") ??
      "",
    /\(its directory is missing and the worktree is locked: .*`git worktree unlock` and `prune` if deleted\)$/,
  );
});

Deno.test("claimOn() counts an operation in this worktree on another branch", () => {
  const here = worktree({
    here: true,
    path: "/w/repo",
    operation: { kind: "rebase", branch: "refs/heads/f" },
  });
  assert.equal(claimOn([here], "refs/heads/f", "/w/repo"), "f is being rebased in this worktree");
});
