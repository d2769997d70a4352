import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { type CommandNode, findCommand, helpAsOption, usageMessage } from "./usage.ts";

function node(name: string, commands: CommandNode[] = []): CommandNode {
  return { name: () => name, aliases: () => [], commands };
}

const ROOT = node("gitargus", [
  node("status"),
  node("hooks", [node("install"), node("uninstall"), node("status")]),
  node("doctor"),
]);

Deno.test("usageMessage() turns commander's two-line suggestion into one line", () => {
  const message = "error: unknown command 'stauts'\n(Did you mean status?)";
  assert.equal(
    usageMessage({ message, code: "commander.unknownCommand" }),
    'unknown command "stauts"; did you mean "status"?',
  );
});

Deno.test("usageMessage() points at --help when commander has no suggestion", () => {
  const message = "error: missing required argument 'shell'";
  assert.equal(
    usageMessage({ message, code: "commander.missingArgument" }),
    'missing required argument "shell" (see `gitargus --help`)',
  );
});

Deno.test("findCommand() walks subcommands and suggests the nearest name for a typo", () => {
  assert.equal(findCommand(ROOT, ["hooks", "install"]).name(), "install");
  assert.equal(findCommand(ROOT, []).name(), "gitargus");
  assert.throws(
    () => findCommand(ROOT, ["hooks", "instal"]),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === 'unknown command "hooks instal"; did you mean "hooks install"?',
  );
  assert.throws(() => findCommand(ROOT, ["frobnicate"]), /^UsageError: unknown command "frobnicate" \(see/);
});

Deno.test("helpAsOption() rewrites `help CMD` as `CMD --help`, keeping the global options before it", () => {
  assert.deepEqual(helpAsOption(ROOT, ["help", "hooks", "install"]), ["hooks", "install", "--help"]);
  assert.deepEqual(helpAsOption(ROOT, ["-c", "/g.yml", "-v", "help", "status"]), [
    "-c",
    "/g.yml",
    "-v",
    "status",
    "--help",
  ]);
  assert.deepEqual(helpAsOption(ROOT, ["--config=/g.yml", "help"]), ["--config=/g.yml", "--help"]);
  assert.equal(helpAsOption(ROOT, ["status", "help"]), undefined);
  assert.equal(helpAsOption(ROOT, ["-c", "help", "status"]), undefined, "help is the config's path there");
  assert.throws(() => helpAsOption(ROOT, ["help", "stauts"]), /did you mean "status"\?/);
});
