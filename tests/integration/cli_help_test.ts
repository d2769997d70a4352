/**
 * `--version`, `--help` on every command and subcommand, and wrong command lines, through the real CLI. The
 * commands come from the command table itself, so a new command is covered without touching this file.
 */

import assert from "node:assert/strict";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import manifest from "../../deno.json" with { type: "json" };
import { buildProgram } from "../../src/cli/mod.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";

/** Every command below the program, as the words that name it: ["hooks", "install"]. */
function commandPaths(command: CommandUnknownOpts, above: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...above, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

const PROGRAM = buildProgram();
const COMMANDS = commandPaths(PROGRAM);

const cli = (args: string[]) => runCli(args, { env: {} });

function assertOk(result: CliResult, args: string[]): void {
  const shown = `gitargus ${args.join(" ")}`;
  assert.equal(result.code, 0, `${shown} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  assert.equal(result.stderr, "", shown);
}

/** Exit 2 and exactly one line on stderr, prefixed with the program's name: no usage dump, no stack trace. */
function assertUsageError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  assert.equal(result.stdout, "");
  const lines = result.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^gitargus: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m);
}

Deno.test("--version and -V print deno.json's version", async () => {
  for (const flag of ["--version", "-V"]) {
    const result = await cli([flag]);
    assertOk(result, [flag]);
    assert.equal(result.stdout, `${manifest.version}\n`);
  }
});

Deno.test("--help lists every command", async () => {
  const result = await cli(["--help"]);
  assertOk(result, ["--help"]);
  assert.match(result.stdout, /^Usage: gitargus \[options\] \[command\]$/m);
  for (const command of PROGRAM.commands) {
    assert.match(result.stdout, new RegExp(`^ {2}${command.name()}\\b`, "m"), command.name());
  }
});

Deno.test("every command and subcommand takes --help", async () => {
  assert.ok(COMMANDS.some((path) => path.join(" ") === "hooks install"), "the walk reaches subcommands");
  await Promise.all(COMMANDS.map(async (path) => {
    const args = [...path, "--help"];
    const result = await cli(args);
    assertOk(result, args);
    assert.match(result.stdout, new RegExp(`^Usage: gitargus ${path.join(" ")}\\b`, "m"), args.join(" "));
  }));
});

Deno.test("an unknown command or option, or a missing argument, is one line on stderr and exit 2", async () => {
  assertUsageError(await cli(["frobnicate"]), /unknown command "frobnicate"/);
  assertUsageError(await cli(["hooks", "frobnicate"]), /unknown command "frobnicate"/);
  assertUsageError(await cli(["--frobnicate"]), /unknown option "--frobnicate"/);
  assertUsageError(await cli(["status", "--frobnicate"]), /unknown option "--frobnicate"/);
  assertUsageError(await cli(["hooks", "install", "--frobnicate"]), /unknown option "--frobnicate"/);
  assertUsageError(await cli(["completions"]), /missing required argument "shell"/);
  assertUsageError(await cli(["status", "--host"]), /option "--host <name>" argument missing/);
});
