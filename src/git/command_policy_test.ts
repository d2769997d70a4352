import assert from "node:assert/strict";
import {
  confineSubcommand,
  credentialArgs,
  fetchPerRemote,
  needsCredentials,
  needsOwnProcessGroup,
  SAFETY_ARGS,
  safetyArgs,
} from "./command_policy.ts";

const listing = (...entries: Array<[string, string, string]>) =>
  entries.map(([scope, key, value]) => `${scope}\0${key}\n${value}\0`).join("");

Deno.test("credentialArgs() clears every helper, then sets the system and global ones again in order", () => {
  const args = credentialArgs(listing(
    ["system", "credential.helper", "cache"],
    ["global", "credential.https://example.com.helper", "store --file ~/.creds"],
    ["local", "credential.helper", "!touch planted"],
    ["worktree", "credential.helper", "!touch planted"],
  ));
  assert.deepEqual(args, [
    "-c",
    "credential.helper=",
    "-c",
    "credential.helper=cache",
    "-c",
    "credential.https://example.com.helper=store --file ~/.creds",
  ]);
});

Deno.test("credentialArgs() clears the helpers when none is configured", () => {
  assert.deepEqual(credentialArgs(""), ["-c", "credential.helper="]);
});

Deno.test("credentialArgs() drops a key that -c cannot carry and an entry without a value", () => {
  const text = listing(["global", "credential.https://h/?a=b.helper", "x"]) + "global\0credential.helper\0";
  assert.deepEqual(credentialArgs(text), ["-c", "credential.helper="]);
});

Deno.test("confineSubcommand() names git's own upload-pack for commands that fetch", () => {
  assert.deepEqual(confineSubcommand(["ls-remote", "https://h/r.git"]), [
    "ls-remote",
    "--upload-pack=git-upload-pack",
    "https://h/r.git",
  ]);
  assert.deepEqual(confineSubcommand(["status", "-z"]), ["status", "-z"]);
});

Deno.test("fetchPerRemote() splits a multiple fetch into one fetch per remote, appending after the first", () => {
  assert.deepEqual(fetchPerRemote(["fetch", "--quiet", "--multiple", "--end-of-options", "origin", "up"]), [
    ["fetch", "--quiet", "--end-of-options", "origin"],
    ["fetch", "--quiet", "--append", "--end-of-options", "up"],
  ]);
  assert.deepEqual(fetchPerRemote(["fetch", "--multiple", "a"]), [["fetch", "--end-of-options", "a"]]);
});

Deno.test("fetchPerRemote() leaves every other command alone", () => {
  assert.equal(fetchPerRemote(["fetch", "origin"]), null);
  assert.equal(fetchPerRemote(["status", "--multiple"]), null);
  assert.equal(fetchPerRemote([]), null);
});

Deno.test("needsCredentials() is true only for commands that talk to a remote", () => {
  assert.equal(needsCredentials(["fetch", "origin"]), true);
  assert.equal(needsCredentials(["status"]), false);
  assert.equal(needsCredentials([]), false);
});

Deno.test("the safety options turn off every program a repository's config could name", () => {
  const settings = SAFETY_ARGS.filter((_, i) => SAFETY_ARGS[i - 1] === "-c");
  for (
    const expected of [
      "core.hooksPath=/dev/null",
      "core.fsmonitor=false",
      "core.askPass=",
      "core.editor=:",
      "sequence.editor=:",
      "core.alternateRefsCommand=",
      "protocol.ext.allow=never",
      "merge.verifySignatures=false",
    ]
  ) {
    assert.ok(settings.includes(expected), `${expected} is set`);
  }
  assert.ok(SAFETY_ARGS.includes("--no-pager"));
});

Deno.test("safetyArgs() gives local commands the short list, every other command the whole one", () => {
  const status = safetyArgs(["status", "-z"]);
  assert.ok(status.includes("core.hooksPath=/dev/null"));
  assert.ok(status.includes("core.fsmonitor=false"));
  assert.ok(!status.includes("protocol.ext.allow=never"));
  assert.deepEqual(safetyArgs(["fetch", "origin"]), SAFETY_ARGS);
  assert.deepEqual(safetyArgs(["merge", "--ff-only"]), SAFETY_ARGS);
  assert.deepEqual(safetyArgs(["some-future-command"]), SAFETY_ARGS);
});

Deno.test("safetyArgs() with the user's hooks drops only the hooks override", () => {
  const args = safetyArgs(["rev-parse", "--git-path", "hooks"], true);
  assert.ok(!args.includes("core.hooksPath=/dev/null"));
  assert.ok(args.includes("core.fsmonitor=false"));
  assert.equal(args.length, safetyArgs(["rev-parse"]).length - 2);
});

Deno.test("needsOwnProcessGroup() is false only for local commands that start no helper", () => {
  assert.equal(needsOwnProcessGroup(["fetch"]), true);
  assert.equal(needsOwnProcessGroup(["merge"]), true);
  assert.equal(needsOwnProcessGroup(["status"]), false);
  assert.equal(needsOwnProcessGroup(["for-each-ref"]), false);
});
