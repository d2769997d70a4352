import assert from "node:assert/strict";
import { commandPaths, completionScript, type CompletionTree, isShell } from "./completion_scripts.ts";
import { completionTree } from "./commands/completions.ts";
import { buildProgram } from "./mod.ts";

function command(name: string, extra: Partial<CompletionTree> = {}): CompletionTree {
  return {
    name,
    description: `${name} things`,
    options: ["--help"],
    valueOptions: [],
    commands: [],
    ...extra,
  };
}

const TREE = command("tool", {
  options: ["--version", "--config", "--help"],
  valueOptions: ["-c", "--config"],
  commands: [
    command("sync", { description: "sync: the whole workspace", options: ["--dry-run", "--help"] }),
    command("remote", {
      commands: [
        command("add", {
          description: "add one's remote",
          options: ["--name", "--help"],
          valueOptions: ["--name"],
        }),
      ],
    }),
  ],
});

Deno.test("commandPaths() lists every command with its path, the program first", () => {
  assert.deepEqual(commandPaths(TREE).map((entry) => [entry.path, entry.node.name]), [
    ["", "tool"],
    ["sync", "sync"],
    ["remote", "remote"],
    ["remote add", "add"],
  ]);
});

Deno.test("completionScript() for bash has one case per command and registers the function", () => {
  const script = completionScript("bash", TREE);
  const cases = script.split("\n").filter((line) => line.trimStart().startsWith("'"));
  assert.deepEqual(cases.map((line) => line.trim()), [
    "'') commands='sync remote' options='--version --config --help' values='-c --config' ;;",
    "'sync') commands='' options='--dry-run --help' values='' ;;",
    "'remote') commands='add' options='--help' values='' ;;",
    "'remote add') commands='' options='--name --help' values='--name' ;;",
  ]);
  assert.ok(script.includes("_tool() {"), script);
  assert.ok(script.endsWith("complete -o default -F _tool tool\n"), script);
});

Deno.test("completionScript() for zsh describes commands, escaping colons, and loads both ways", () => {
  const script = completionScript("zsh", TREE);
  assert.ok(script.startsWith("#compdef tool\n"), script);
  assert.ok(script.includes("commands=('sync:sync\\: the whole workspace' 'remote:remote things')"), script);
  assert.ok(script.includes("values=(-c --config) ;;"), script);
  assert.ok(script.includes("compdef _tool tool"), script);
});

Deno.test("completionScript() for fish declares each command and option under its command path", () => {
  const lines = completionScript("fish", TREE).split("\n");
  assert.ok(lines.includes("complete -c tool -f"));
  assert.ok(lines.includes("complete -c tool -n '__tool_at \\'\\'' -a sync -d 'sync: the whole workspace'"));
  assert.ok(lines.includes("complete -c tool -n '__tool_at \\'remote\\'' -a add -d 'add one\\'s remote'"));
  assert.ok(lines.includes("complete -c tool -n '__tool_at \\'\\'' -l config -r -F"));
  assert.ok(lines.includes("complete -c tool -n '__tool_at \\'remote add\\'' -l name -r -F"));
  assert.ok(lines.includes("complete -c tool -n '__tool_at \\'sync\\'' -l dry-run"));
});

Deno.test("completionScript() refuses a command name that is not a plain word", () => {
  const odd = command("tool", { commands: [command("two words")] });
  assert.throws(() => completionScript("bash", odd), /Cannot complete "two words"/);
});

Deno.test("isShell() knows bash, zsh and fish only", () => {
  assert.deepEqual(["bash", "zsh", "fish", "powershell", ""].filter(isShell), ["bash", "zsh", "fish"]);
});

Deno.test("completionTree() takes the commands and options that --help shows", () => {
  const tree = completionTree(buildProgram());
  const paths = commandPaths(tree).map((entry) => entry.path);
  assert.ok(paths.includes("hooks install") && paths.includes("hook pre-push"), paths.join(", "));
  assert.ok(!paths.includes("help"), "the implicit help command is not completed");
  assert.deepEqual(tree.valueOptions, ["-c", "--config"]);
  const init = tree.commands.find((child) => child.name === "init")!;
  assert.deepEqual(init.options, ["--root", "--hostname", "--depth", "--yes", "--dry-run", "--help"]);
  assert.deepEqual(init.valueOptions, ["--root", "--hostname", "--depth"]);
});
