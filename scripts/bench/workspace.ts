/** Generated workspaces for the benchmark: bare origins and clones, made with plain git. */

import { join } from "node:path";
import { stringify } from "yaml";
import { cliCommand } from "../../tests/helpers/cli.ts";

export interface BenchWorkspace {
  root: string;
  home: string;
  workspace: string;
  origins: string;
  names: string[];
  env: Record<string, string>;
  configFile: string;
}

export async function git(cwd: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("git", {
    args,
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (output.code !== 0) {
    throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${new TextDecoder().decode(output.stderr)}`);
  }
  return new TextDecoder().decode(output.stdout).trim();
}

/** `count` repositories, each a clone of its own bare origin with a few files in a few directories. */
export async function createWorkspace(
  count: number,
  options: { ignoredDirs?: number; remoteLatencyMs?: number } = {},
): Promise<BenchWorkspace> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-bench-" }));
  const home = join(root, "home");
  const workspace = join(root, "workspace");
  const origins = join(root, "origins");
  await Promise.all([home, workspace, origins].map((d) => Deno.mkdir(d, { recursive: true })));
  const env: Record<string, string> = {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C",
  };
  await Deno.writeTextFile(
    join(home, ".gitconfig"),
    "[user]\n\tname = bench\n\temail = bench@example.test\n[init]\n\tdefaultBranch = main\n",
  );
  if (options.remoteLatencyMs) {
    // An ssh "transport" that waits one round trip and then serves the repository locally: fetches wait on
    // the network as they do with a real remote, without any traffic leaving the machine.
    const ssh = join(root, "slow-ssh");
    await Deno.writeTextFile(
      ssh,
      `#!/bin/sh\nsleep ${options.remoteLatencyMs / 1000}\nfor last; do :; done\nexec sh -c "$last"\n`,
      { mode: 0o755 },
    );
    Object.assign(env, { GIT_SSH_COMMAND: ssh });
  }
  const names = Array.from({ length: count }, (_, i) => `repo${String(i).padStart(3, "0")}`);
  const seed = join(root, "seed");
  await Deno.mkdir(join(seed, "src", "lib"), { recursive: true });
  await Deno.mkdir(join(seed, "docs"), { recursive: true });
  await Deno.writeTextFile(join(seed, "README.md"), "# bench\n");
  await Deno.writeTextFile(join(seed, ".gitignore"), "node_modules/\nbuild/\n");
  await Deno.writeTextFile(join(seed, "src", "main.ts"), "export {};\n");
  await Deno.writeTextFile(join(seed, "src", "lib", "util.ts"), "export {};\n");
  await Deno.writeTextFile(join(seed, "docs", "guide.md"), "guide\n");
  await git(seed, env, "init", "-q");
  await git(seed, env, "add", ".");
  await git(seed, env, "commit", "-q", "-m", "seed");
  for (const name of names) {
    await git(root, env, "clone", "-q", "--bare", seed, join(origins, `${name}.git`));
    await git(root, env, "clone", "-q", join(origins, `${name}.git`), join(workspace, name));
    if (options.remoteLatencyMs) {
      await git(
        join(workspace, name),
        env,
        "remote",
        "set-url",
        "origin",
        `ssh://bench${join(origins, `${name}.git`)}`,
      );
    }
    if (options.ignoredDirs) {
      await makeIgnoredTree(join(workspace, name, "node_modules"), options.ignoredDirs);
    }
  }
  const configFile = join(home, ".gitargus", "config.yml");
  await Deno.mkdir(join(home, ".gitargus"), { recursive: true });
  return { root, home, workspace, origins, names, env, configFile };
}

export async function writeBenchConfig(ws: BenchWorkspace, extra: Record<string, unknown>): Promise<void> {
  const config = { hostname: "bench", root: ws.workspace, repositories: ws.names, ...extra };
  await Deno.writeTextFile(ws.configFile, stringify(config));
}

/** An ignored node_modules-like tree: `dirs` directories, 100 per package folder. */
async function makeIgnoredTree(root: string, dirs: number): Promise<void> {
  const packages = Math.ceil(dirs / 100);
  for (let p = 0; p < packages; p++) {
    const pkg = join(root, `pkg${p}`);
    await Deno.mkdir(pkg, { recursive: true });
    const inPackage = Math.min(100, dirs - p * 100) - 1;
    await Promise.all(Array.from({ length: inPackage }, (_, d) => Deno.mkdir(join(pkg, `d${d}`))));
  }
}

/** Runs the CLI as its users do (the binary's permission flags) and throws with its stderr on a failure. */
export async function benchCli(args: string[], env: Record<string, string>): Promise<string> {
  const [program, ...rest] = cliCommand(args);
  const output = await new Deno.Command(program!, {
    args: rest,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (output.code !== 0) {
    throw new Error(
      `gitargus ${args.join(" ")} exited ${output.code}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return new TextDecoder().decode(output.stdout);
}
