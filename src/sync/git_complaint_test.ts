import assert from "node:assert/strict";
import { gitComplaint } from "./git_complaint.ts";

Deno.test("gitComplaint() prefers git's fatal line to the errors before it", () => {
  const stderr = "error: external filter 'false' failed 1\nerror: external filter 'false' failed\n" +
    "fatal: d/x: smudge filter x failed\n";
  assert.equal(gitComplaint(stderr), "d/x: smudge filter x failed");
});

Deno.test("gitComplaint() falls back to the first error, then to any line", () => {
  assert.equal(
    gitComplaint("hint: x\nerror: unable to create file ro/y: Permission denied\n"),
    "unable to create file ro/y: Permission denied",
  );
  assert.equal(gitComplaint("something odd\n"), "something odd");
  assert.equal(gitComplaint(""), "git stopped without saying why");
});
