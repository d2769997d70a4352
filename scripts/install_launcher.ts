/**
 * `deno task install [--dir DIR]`: puts a `gitargus` launcher on PATH for someone who cloned the repository,
 * so every "run `gitargus …`" the program prints works as written. The launcher runs this checkout's main.ts
 * with exactly the compiled binary's permissions (src/self.ts, from src/permissions.ts) and stays in the
 * folder it was called from, so `gitargus add .` adds the caller's folder, not the repository.
 */

import { parseArgs } from "node:util";
import { delimiter, join, resolve } from "node:path";
import { selfCommand } from "../src/self.ts";
import { shellQuote } from "../src/util/shell.ts";
import { writeFileAtomic } from "../src/util/fs.ts";

/** The line that marks a file as a launcher this task wrote, so a second run may replace it. */
export const LAUNCHER_MARK = "# gitargus launcher, written by `deno task install`";

export class InstallError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function launcherScript(command: readonly string[]): string {
  return [
    "#!/bin/sh",
    LAUNCHER_MARK,
    "# Runs GitArgus from source with the compiled binary's permissions, in the caller's folder.",
    `exec ${command.map(shellQuote).join(" ")} "$@"`,
    "",
  ].join("\n");
}

/** Whether `dir` is one of PATH's folders, compared after resolving both. */
export function onPath(dir: string, path: string | undefined): boolean {
  return (path ?? "").split(delimiter).some((entry) => entry !== "" && resolve(entry) === resolve(dir));
}

export interface InstallRequest {
  /** Where the launcher goes; relative to `cwd`. */
  dir: string;
  cwd: string;
  command: readonly string[];
}

/** Writes `<dir>/gitargus`; refuses to replace a file that is not a launcher of ours (an installed binary). */
export async function installLauncher(request: InstallRequest): Promise<string> {
  const file = join(resolve(request.cwd, request.dir), "gitargus");
  const old = await Deno.readTextFile(file).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof Deno.errors.IsADirectory) throw new InstallError(`Cannot write "${file}": a folder`);
    return "";
  });
  if (old !== null && !old.includes(LAUNCHER_MARK)) {
    throw new InstallError(`Cannot write "${file}": another program is there; remove it or choose --dir`);
  }
  try {
    await writeFileAtomic(file, launcherScript(request.command), { mode: 0o755 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InstallError(`Cannot write "${file}": ${reason}`);
  }
  return file;
}

function parseCommandLine(args: string[], home: string | undefined): { dir: string } {
  try {
    const { values } = parseArgs({ args, options: { dir: { type: "string" } } });
    if (values.dir !== undefined) return { dir: values.dir };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InstallError(`${reason}; usage: deno task install [--dir DIR]`, 2);
  }
  if (!home) throw new InstallError("HOME is not set: choose the folder with --dir DIR", 2);
  return { dir: join(home, ".local", "bin") };
}

if (import.meta.main) {
  try {
    const { dir } = parseCommandLine(Deno.args, Deno.env.get("HOME"));
    // `deno task` runs in the repository; INIT_CWD is where it was called from, where a relative --dir is meant.
    const cwd = Deno.env.get("INIT_CWD") || Deno.cwd();
    const file = await installLauncher({ dir, cwd, command: selfCommand() });
    console.log(`Installed ${file}: runs ${selfCommand().at(-1)} with the binary's permissions`);
    const folder = resolve(cwd, dir);
    if (!onPath(folder, Deno.env.get("PATH"))) {
      console.log(`${folder} is not on PATH: add  export PATH="${folder}:$PATH"  to your shell's profile`);
    }
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    console.error(`install: ${error.message}`);
    Deno.exitCode = error.exitCode;
  }
}
