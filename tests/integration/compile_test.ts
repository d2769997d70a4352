/**
 * `deno task compile` builds a binary that runs with the one permission list. `deno compile` needs Deno's
 * runtime from dl.deno.land the first time; where it cannot download it, the build test says so and skips,
 * and fails on any other compile error.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import manifest from "../../deno.json" with { type: "json" };
import {
  compile,
  CompileError,
  compilePlan,
  RELEASE_TARGETS,
  runtimeDownloadFailed,
} from "../../scripts/compile.ts";
import { LAZY_MODULES } from "../../src/lazy.ts";
import { permissionFlags } from "../../src/permissions.ts";
import { denoEnv } from "../helpers/cli.ts";
import { gitWorkspace } from "../helpers/git_fixture.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** What `deno compile` 2.x prints when dl.deno.land cannot be reached. */
const OFFLINE_STDERR = `Compile main.ts to dist/gitargus
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/gitargus.tmp-4086c6b157f4b4e0'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
`;

/** Runs `command` with only `env` when given, else with this process's environment. */
async function run(command: string, args: string[], env?: Record<string, string>, cwd = REPO) {
  const output = await new Deno.Command(command, {
    args,
    ...(env ? { env, clearEnv: true } : {}),
    cwd,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test("compilePlan() builds every release target with that OS's permission flags", () => {
  const builds = compilePlan({ all: true, outputDir: "/out" });
  assert.deepEqual(builds.map((b) => b.output), RELEASE_TARGETS.map((t) => `/out/gitargus-${t.triple}`));
  for (const [index, { triple, os }] of RELEASE_TARGETS.entries()) {
    const args = builds[index]!.args;
    assert.deepEqual(args.slice(args.indexOf("--target"), args.indexOf("--target") + 2), [
      "--target",
      triple,
    ]);
    const start = args.indexOf(triple) + 1;
    assert.deepEqual(args.slice(start, start + permissionFlags(os).length), permissionFlags(os));
    // Every module loaded through a computed specifier is included explicitly.
    const included = args.flatMap((arg, i) => args[i - 1] === "--include" ? [arg] : []);
    for (const path of Object.values(LAZY_MODULES)) {
      assert.ok(included.some((file) => file.endsWith(path.slice(1))), `${path} is not included`);
    }
    // The command table names its modules too (src/cli/command_module.ts): each one it loads is there.
    const table = Deno.readTextFileSync(new URL("../../src/cli/mod.ts", import.meta.url));
    for (const [, name] of table.matchAll(/commandModule<[^>]*>\("([a-z_]+)"\)/g)) {
      assert.ok(
        included.some((file) => file.endsWith(`/src/cli/commands/${name}.ts`)),
        `${name} is not included`,
      );
    }
  }
  const host = compilePlan({ all: false, outputDir: "/out" });
  assert.equal(host.length, 1);
  assert.equal(host[0]!.output, "/out/gitargus");
  assert.ok(!host[0]!.args.includes("--target"));
  assert.ok(host[0]!.args.at(-1)!.endsWith("/main.ts"));
});

Deno.test("runtimeDownloadFailed() tells a failed runtime download from other compile errors", () => {
  assert.ok(runtimeDownloadFailed(OFFLINE_STDERR));
  assert.ok(runtimeDownloadFailed(`\x1b[31merror\x1b[0m: ${OFFLINE_STDERR}`));
  assert.ok(
    !runtimeDownloadFailed("error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'."),
  );
  assert.ok(!runtimeDownloadFailed('error: Module not found "file:///src/missing.ts".'));
});

Deno.test("compile() stops with exit code 2 and one line when the runtime cannot be downloaded", async () => {
  const builds = compilePlan({ all: true, outputDir: "/out" });
  const offline = () => Promise.resolve({ code: 1, stderr: OFFLINE_STDERR });
  const error = await compile(builds, offline).catch((e) => e);
  assert.ok(error instanceof CompileError);
  assert.equal(error.exitCode, 2);
  assert.match(error.message, /^Cannot build \/out\/gitargus-x86_64-unknown-linux-gnu: .*runtime.*$/);

  const broken = () =>
    Promise.resolve({ code: 1, stderr: "error: TS2322 [ERROR]: bad type\n    at main.ts:1:1\n" });
  const other = await compile(builds, broken).catch((e) => e);
  assert.ok(other instanceof CompileError);
  assert.equal(other.exitCode, 1);
  assert.match(other.message, /exited with 1:\nerror: TS2322/);
});

Deno.test("deno task compile builds a binary that prints the version and reads a config", async () => {
  const outputDir = await Deno.makeTempDir({ prefix: "gitargus-compile-" });
  try {
    const build = await run(Deno.execPath(), ["task", "--quiet", "compile", "--output-dir", outputDir]);
    if (build.code === 2 && /could not download Deno's runtime/.test(build.stderr)) {
      console.log("skipped: deno compile cannot download its runtime here");
      return;
    }
    assert.equal(build.code, 0, `deno task compile exited ${build.code}:\n${build.stdout}\n${build.stderr}`);
    const binary = join(outputDir, "gitargus");

    const version = await run(binary, ["--version"], { PATH: (await denoEnv()).PATH ?? "" });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), manifest.version);

    await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
    const a = ws.machine("a");
    await a.writeConfig();
    const status = await run(binary, ["status", "--local"], a.env, a.workspace);
    assert.equal(status.code, 0, `status --local exited ${status.code}:\n${status.stdout}\n${status.stderr}`);
    assert.match(status.stdout, /repo1/);
  } finally {
    await Deno.remove(outputDir, { recursive: true });
  }
});
