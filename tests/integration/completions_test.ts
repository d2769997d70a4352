/**
 * `gitargus completions <shell>` through the real CLI: each script is parsed by its shell and asked for
 * completions the way the shell would ask. zsh and fish are checked where they are installed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

async function installed(shell: string): Promise<boolean> {
  try {
    return (await new Deno.Command(shell, { args: ["-c", "exit 0"], stdout: "null", stderr: "null" })
      .output())
      .success;
  } catch {
    return false;
  }
}

const HAS_ZSH = await installed("zsh");
const HAS_FISH = await installed("fish");

/** The script written to a temp file, removed on dispose. */
async function script(shell: string): Promise<{ path: string } & AsyncDisposable> {
  const result = await runCli(["completions", shell], { env: {} });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const dir = await Deno.makeTempDir({ prefix: "gitargus-completions-" });
  const path = join(dir, `gitargus.${shell}`);
  await Deno.writeTextFile(path, result.stdout);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

async function run(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const decoder = new TextDecoder();
  const text = decoder.decode(output.stdout);
  assert.equal(
    output.code,
    0,
    `${command} ${args.join(" ")} exited ${output.code}:\n${text}\n${decoder.decode(output.stderr)}`,
  );
  return text;
}

/** What the line before the cursor completes to. A trailing space means a new, empty word. */
type Case = [line: string, expected: string];

const CASES: Case[] = [
  ["gitargus hoo", "hooks hook"],
  ["gitargus hooks ", "install uninstall status"],
  ["gitargus hooks install --", "--repo --help"],
  ["gitargus --config other.yml st", "status"],
  ["gitargus init --d", "--depth --dry-run"],
  // An option's value, and a command without subcommands: the shell's own file completion.
  ["gitargus init --root ", ""],
  ["gitargus run ", ""],
];

function words(line: string): string[] {
  const split = line.split(" ").filter(Boolean);
  return line.endsWith(" ") ? [...split, ""] : split;
}

Deno.test("completions bash parses and completes commands, subcommands and options", async () => {
  await using file = await script("bash");
  await run("bash", ["-n", file.path]);
  const ask =
    'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _gitargus; echo "${COMPREPLY[*]}"';
  for (const [line, expected] of CASES) {
    assert.equal((await run("bash", ["-c", ask, "_", file.path, ...words(line)])).trim(), expected, line);
  }
});

Deno.test({
  name: "completions zsh parses, and its function offers the same words",
  ignore: !HAS_ZSH,
  async fn() {
    await using file = await script("zsh");
    await run("zsh", ["-n", file.path]);
    // Completion widgets only run inside zle; the builtins they call are replaced by ones that print.
    const ask = [
      "compdef() { :; }",
      '_describe() { local -a found; found=("${(@P)4}"); print -r -- "${(j: :)${found[@]%%:*}}" }',
      'compadd() { print -r -- "${(j: :)${(@P)2}}" }',
      "_files() { print }",
      'source "$1"; shift; words=("$@"); CURRENT=$#; _gitargus',
    ].join("\n");
    for (const [line, expected] of CASES) {
      const offered = (await run("zsh", ["-f", "-c", ask, "_", file.path, ...words(line)])).trim();
      // zsh's _describe filters by the typed prefix itself; the stub shows all it was given.
      const prefix = words(line).at(-1)!;
      const matching = offered.split(" ").filter((word) => word && word.startsWith(prefix)).join(" ");
      assert.equal(matching, expected, line);
    }
  },
});

Deno.test({
  name: "completions fish parses, and fish completes commands with their descriptions",
  ignore: !HAS_FISH,
  async fn() {
    await using file = await script("fish");
    await run("fish", ["-n", file.path]);
    const ask = 'source $argv[1]; complete -C"$argv[2]"';
    for (const [line, expected] of CASES) {
      if (expected === "") continue; // fish offers the current folder's files there
      const lines = (await run("fish", ["-c", ask, file.path, line])).trim().split("\n");
      const offered = lines.map((entry) => entry.split("\t")[0]);
      assert.deepEqual(offered.sort(), expected.split(" ").sort(), line);
    }
    const described = await run("fish", ["-c", ask, file.path, "gitargus hooks ins"]);
    assert.equal(described, "install\tinstall the pre-push hook of every configured repository\n");
  },
});

Deno.test("completions for an unknown shell names the supported ones, exit 2", async () => {
  const result = await runCli(["completions", "powershell"], { env: {} });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    'gitargus: Unknown shell "powershell"; completions exist for bash, zsh, fish\n',
  );
});
