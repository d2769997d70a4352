/**
 * `deno task install` as someone who cloned the repository runs it: the launcher lands in the chosen folder,
 * carries the binary's permission flags, and run from another folder acts there, not in the repository.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import manifest from "../../deno.json" with { type: "json" };
import { permissionFlags } from "../../src/permissions.ts";
import { shellQuote } from "../../src/util/shell.ts";
import { denoEnv } from "../helpers/cli.ts";
import { gitWorkspace, runGit } from "../helpers/git_fixture.ts";

const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const decoder = new TextDecoder();

async function run(program: string, args: string[], cwd: string, env: Record<string, string>) {
  const output = await new Deno.Command(program, {
    args,
    cwd,
    env: { ...(await denoEnv()), ...env },
    clearEnv: true,
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test("deno task install writes a launcher that runs from any folder with the binary's permissions", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  await a.writeConfig();
  const caller = join(ws.root, "caller");
  await Deno.mkdir(caller);

  // A relative --dir means the caller's folder, though `deno task` itself runs in the repository.
  const task = await run(
    Deno.execPath(),
    ["task", "--quiet", `--config=${CONFIG}`, "install", "--dir", "bin"],
    caller,
    {
      HOME: a.home,
    },
  );
  assert.equal(task.code, 0, task.stdout + task.stderr);
  const launcher = join(caller, "bin", "gitargus");
  assert.match(
    task.stdout,
    new RegExp(`^Installed ${launcher}: runs .*main\\.ts with the binary's permissions$`, "m"),
  );
  assert.match(task.stdout, new RegExp(`^${join(caller, "bin")} is not on PATH: add {2}export PATH=`, "m"));
  const script = await Deno.readTextFile(launcher);
  assert.ok(script.includes(` ${permissionFlags().map(shellQuote).join(" ")} `), script);

  const version = await run(launcher, ["--version"], a.workspace, a.env);
  assert.deepEqual(version, { code: 0, stdout: `${manifest.version}\n`, stderr: "" });

  const status = await run(launcher, ["status", "--local"], a.workspace, a.env);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^repo1 +a /m);

  // `gitargus add .` adds the folder the launcher was called from.
  const extra = join(a.workspace, "extra");
  await Deno.mkdir(extra);
  await runGit(["init", "-q", "-b", "main"], extra, a.env);
  const added = await run(launcher, ["add", "."], extra, a.env);
  assert.equal(added.code, 0, added.stdout + added.stderr);
  const config = parse(await Deno.readTextFile(join(a.home, ".gitargus", "config.yml")));
  assert.ok(config.repositories.includes("extra"), JSON.stringify(config.repositories));
});
