/**
 * `deno task compile`: `dist/gitargus` for this machine. `deno task compile:all`: one binary per release
 * target, `dist/gitargus-<target>`. Every binary gets its permissions from src/permissions.ts, the one list.
 *
 * `deno compile` downloads Deno's runtime (denort) for each target the first time; without network access
 * that fails, and this script says so in one line and exits with 2.
 */

import { parseArgs } from "node:util";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { currentOs, permissionFlags, type TargetOs } from "../src/permissions.ts";
import { LAZY_MODULES } from "../src/lazy.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

export const RELEASE_TARGETS: readonly { triple: string; os: TargetOs }[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux" },
  { triple: "x86_64-apple-darwin", os: "darwin" },
  { triple: "aarch64-apple-darwin", os: "darwin" },
];

export interface Build {
  /** Absolute path of the binary. */
  output: string;
  /** Arguments to `deno`. */
  args: string[];
}

/** The `deno compile` runs: this host only, or every release target. */
export function compilePlan(options: { all: boolean; outputDir: string }): Build[] {
  const build = (output: string, os: TargetOs, target: string[]): Build => ({
    output,
    args: [
      "compile",
      "--quiet",
      "--no-prompt",
      `--config=${join(REPO, "deno.json")}`,
      ...target,
      ...permissionFlags(os),
      // Modules loaded through computed specifiers are invisible to the compiler's analysis.
      ...Object.values(LAZY_MODULES).flatMap((path) => ["--include", join(REPO, "src", path)]),
      ...commandModules().flatMap((path) => ["--include", path]),
      // The dashboard's page and scripts, read as files at run time (src/serve/assets.ts).
      "--include",
      join(REPO, "src", "serve", "assets"),
      "--output",
      output,
      join(REPO, "main.ts"),
    ],
  });
  if (!options.all) return [build(join(options.outputDir, "gitargus"), currentOs(), [])];
  return RELEASE_TARGETS.map(({ triple, os }) =>
    build(join(options.outputDir, `gitargus-${triple}`), os, ["--target", triple])
  );
}

/** Every command module, which the command table loads by name (src/cli/command_module.ts). */
export function commandModules(): string[] {
  const dir = join(REPO, "src", "cli", "commands");
  return [...Deno.readDirSync(dir)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts"))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** True when `deno compile` stopped because it could not fetch the runtime it builds binaries from. */
export function runtimeDownloadFailed(stderr: string): boolean {
  // deno-lint-ignore no-control-regex
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  return /Setting up base binary|denort-[\w.-]+\.zip/.test(text) &&
    /error sending request|could not be found|dns error|Connect|timed out|certificate/i.test(text);
}

/** A failure the user can act on: one line, and the exit code. */
export class CompileError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export interface CompileResult {
  code: number;
  stderr: string;
}

export type RunDeno = (args: string[]) => Promise<CompileResult>;

const runDeno: RunDeno = async (args) => {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
};

/** Builds each binary in turn; returns their paths. */
export async function compile(builds: readonly Build[], run: RunDeno = runDeno): Promise<string[]> {
  const built: string[] = [];
  for (const { output, args } of builds) {
    const result = await run(args);
    const shown = display(output);
    if (result.code === 0) {
      built.push(output);
      continue;
    }
    if (runtimeDownloadFailed(result.stderr)) {
      throw new CompileError(
        `Cannot build ${shown}: deno compile could not download Deno's runtime (denort) for this target; ` +
          "it needs network access to dl.deno.land the first time",
        2,
      );
    }
    throw new CompileError(
      `Cannot build ${shown}: deno compile exited with ${result.code}:\n${result.stderr.trim()}`,
      1,
    );
  }
  return built;
}

/** Relative to the current folder when inside it. */
function display(path: string): string {
  const inside = relative(Deno.cwd(), path);
  return inside && !inside.startsWith("..") ? inside : path;
}

function parseCommandLine(args: string[]): { all: boolean; outputDir: string } {
  try {
    const { values } = parseArgs({
      args,
      options: { all: { type: "boolean", default: false }, "output-dir": { type: "string" } },
    });
    return { all: values.all, outputDir: resolve(values["output-dir"] ?? join(REPO, "dist")) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CompileError(`${reason}; usage: compile.ts [--all] [--output-dir DIR]`, 2);
  }
}

if (import.meta.main) {
  try {
    for (const file of await compile(compilePlan(parseCommandLine(Deno.args)))) {
      console.log(`Built ${display(file)}`);
    }
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    console.error(`compile: ${error.message}`);
    Deno.exitCode = error.exitCode;
  }
}
