/**
 * How the CLI behaves at its edges, through the real CLI with its permission flags: a reader that closes the
 * pipe early (`| head -1`), `help CMD`, and a mistyped command.
 */

import assert from "node:assert/strict";
import { cliCommand, denoEnv, runCli } from "../helpers/cli.ts";
import { gitWorkspace } from "../helpers/git_fixture.ts";

interface PipeResult {
  code: number;
  stderr: string;
}

/**
 * Runs the CLI with its stdout read by nobody: the read end is closed before the program writes, as `head -1`
 * does once it has its line, so every write finds a closed pipe.
 */
async function withClosedStdout(args: string[], env: Record<string, string>): Promise<PipeResult> {
  const command = cliCommand(args);
  const child = new Deno.Command(command[0]!, {
    args: command.slice(1),
    env: { ...(await denoEnv()), ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdout.cancel();
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    return { code: status.code, stderr };
  } finally {
    clearTimeout(killer);
  }
}

Deno.test("status --local into a pipe closed early ends quietly with exit 0", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1", "repo2"] });
  const a = ws.machine("a");
  await a.writeConfig();
  const result = await withClosedStdout(["status", "--local"], a.env);
  assert.deepEqual(result, { code: 0, stderr: "" });
  // The same command with a reader prints the rows the closed pipe dropped.
  const read = await runCli(["status", "--local"], { env: a.env });
  assert.equal(read.code, 0, read.stderr);
  assert.match(read.stdout, /^repo1 +a /m);
});

Deno.test("completions and --help into a pipe closed early end quietly with exit 0", async () => {
  for (const args of [["completions", "bash"], ["--help"], ["help", "status"]]) {
    assert.deepEqual(await withClosedStdout(args, {}), { code: 0, stderr: "" }, args.join(" "));
  }
});

Deno.test("help CMD prints exactly what CMD --help prints, for commands and subcommands", async () => {
  for (const path of [[], ["status"], ["hooks"], ["hooks", "install"], ["doctor"]]) {
    const [viaHelp, viaOption] = await Promise.all([
      runCli(["help", ...path], { env: {} }),
      runCli([...path, "--help"], { env: {} }),
    ]);
    const shown = `help ${path.join(" ")}`;
    assert.equal(viaHelp.code, 0, `${shown}: ${viaHelp.stderr}`);
    assert.equal(viaHelp.stderr, "", shown);
    assert.equal(viaHelp.stdout, viaOption.stdout, shown);
    assert.match(viaHelp.stdout, new RegExp(`^Usage: gitargus ${path.join(" ")}`), shown);
  }
});

Deno.test("a mistyped command is one line with a suggestion and exit 2, also after help", async () => {
  const cases: Array<[string[], string]> = [
    [["stauts"], 'gitargus: unknown command "stauts"; did you mean "status"?\n'],
    [["help", "stauts"], 'gitargus: unknown command "stauts"; did you mean "status"?\n'],
    [
      ["help", "hooks", "instal"],
      'gitargus: unknown command "hooks instal"; did you mean "hooks install"?\n',
    ],
    [["xyzzy"], 'gitargus: unknown command "xyzzy" (see `gitargus --help`)\n'],
  ];
  for (const [args, stderr] of cases) {
    const result = await runCli(args, { env: {} });
    assert.deepEqual(result, { code: 2, stdout: "", stderr }, args.join(" "));
  }
});
