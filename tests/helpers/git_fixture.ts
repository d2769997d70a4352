/**
 * Real git repositories in a temp dir: bare origins and machines that each clone every origin into their own
 * workspace. Every git command runs with the machine's own HOME and no system config, so the developer's
 * global git settings never reach a test.
 *
 * ```
 * <root>/origins/<repo>.git               bare, one commit on main, HEAD -> main
 * <root>/machines/<m>/home/.gitconfig     user "<m>", init.defaultBranch main
 * <root>/machines/<m>/workspace/<repo>    clone tracking origin/main
 * ```
 */

import { dirname, join } from "node:path";
import { stringify } from "yaml";

export interface GitWorkspaceOptions {
  machines: string[];
  /** Names relative to a workspace, with forward slashes, e.g. "project1/repo1". */
  repositories: string[];
}

export interface GitWorkspace extends AsyncDisposable {
  /** The temp dir holding everything. */
  readonly root: string;
  readonly repositories: readonly string[];
  machine(name: string): Machine;
  /** Adds a machine that clones every origin as it stands now. */
  addMachine(name: string): Promise<Machine>;
  originPath(repo: string): string;
  /** The commit the origin's `main` points at. */
  originHead(repo: string): Promise<string>;
}

export interface Machine {
  readonly name: string;
  readonly home: string;
  readonly workspace: string;
  /** The environment its git commands run with; spread it into a CLI run to act as this machine. */
  readonly env: Record<string, string>;
  repoPath(repo: string): string;
  /** Runs git in the clone; returns trimmed stdout, throws with stderr on a non-zero exit. */
  git(repo: string, ...args: string[]): Promise<string>;
  /** Writes the file, commits it alone, returns the new commit's sha. */
  commitFile(repo: string, path: string, content: string, message: string): Promise<string>;
  push(repo: string, ...args: string[]): Promise<string>;
  head(repo: string): Promise<string>;
  /**
   * Writes `<home>/.gitargus/config.yml`: hostname, root and the fixture's repositories, deep-merged with
   * `extra` (objects merge, anything else replaces). Returns the file's path.
   */
  writeConfig(extra?: Record<string, unknown>): Promise<string>;
}

export async function gitWorkspace(options: GitWorkspaceOptions): Promise<GitWorkspace> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-test-" }));
  try {
    const repositories = [...options.repositories];
    // The origins' own commits: no HOME config exists at the root, and the identity comes from the env.
    const originEnv = {
      ...baseEnv(root),
      GIT_AUTHOR_NAME: "origin",
      GIT_AUTHOR_EMAIL: "origin@example.test",
      GIT_COMMITTER_NAME: "origin",
      GIT_COMMITTER_EMAIL: "origin@example.test",
    };
    const originPath = (repo: string) => join(root, "origins", `${repo}.git`);
    for (const repo of repositories) await seedOrigin(originPath(repo), repo, originEnv);

    const machines = new Map<string, Machine>();
    const workspace: GitWorkspace = {
      root,
      repositories,
      machine(name) {
        const machine = machines.get(name);
        if (!machine) throw new Error(`No machine "${name}" in the git workspace`);
        return machine;
      },
      async addMachine(name) {
        if (machines.has(name)) throw new Error(`Machine "${name}" already exists in the git workspace`);
        const machine = await createMachine(root, name, repositories, originPath);
        machines.set(name, machine);
        return machine;
      },
      originPath,
      originHead: (repo) => runGit(["rev-parse", "refs/heads/main"], originPath(repo), originEnv),
      async [Symbol.asyncDispose]() {
        await Deno.remove(root, { recursive: true }).catch(() => {});
      },
    };
    for (const name of options.machines) await workspace.addMachine(name);
    return workspace;
  } catch (error) {
    await Deno.remove(root, { recursive: true }).catch(() => {});
    throw error;
  }
}

function baseEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LANG: "C",
  };
}

/** One commit on main, written straight into the bare repository: no scratch clone needed. */
async function seedOrigin(path: string, repo: string, env: Record<string, string>): Promise<void> {
  await Deno.mkdir(path, { recursive: true });
  await runGit(["init", "--quiet", "--bare", "--initial-branch=main"], path, env);
  const blob = await runGit(["hash-object", "-w", "--stdin"], path, env, `# ${repo}\n`);
  const tree = await runGit(["mktree"], path, env, `100644 blob ${blob}\tREADME.md\n`);
  const commit = await runGit(["commit-tree", tree, "-m", "Initial commit"], path, env);
  await runGit(["update-ref", "refs/heads/main", commit], path, env);
  await runGit(["symbolic-ref", "HEAD", "refs/heads/main"], path, env);
}

async function createMachine(
  root: string,
  name: string,
  repositories: readonly string[],
  originPath: (repo: string) => string,
): Promise<Machine> {
  const home = join(root, "machines", name, "home");
  const workspace = join(root, "machines", name, "workspace");
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(
    join(home, ".gitconfig"),
    `[user]\n\tname = ${name}\n\temail = ${name}@example.test\n[init]\n\tdefaultBranch = main\n`,
  );
  const env = baseEnv(home);
  for (const repo of repositories) {
    await runGit(["clone", "--quiet", originPath(repo), join(workspace, repo)], workspace, env);
  }

  const repoPath = (repo: string) => join(workspace, repo);
  const git = (repo: string, ...args: string[]) => runGit(args, repoPath(repo), env);
  return {
    name,
    home,
    workspace,
    env,
    repoPath,
    git,
    async commitFile(repo, path, content, message) {
      const file = join(repoPath(repo), path);
      await Deno.mkdir(dirname(file), { recursive: true });
      await Deno.writeTextFile(file, content);
      await git(repo, "add", "--", path);
      await git(repo, "commit", "--quiet", "-m", message, "--", path);
      return await git(repo, "rev-parse", "HEAD");
    },
    push: (repo, ...args) => git(repo, "push", "--quiet", ...args),
    head: (repo) => git(repo, "rev-parse", "HEAD"),
    async writeConfig(extra = {}) {
      const file = join(home, ".gitargus", "config.yml");
      await Deno.mkdir(dirname(file), { recursive: true });
      const base = { hostname: name, root: workspace, repositories: [...repositories] };
      await Deno.writeTextFile(file, stringify(deepMerge(base, extra)));
      return file;
    },
  };
}

/** Runs git in `cwd` with exactly `env`; returns trimmed stdout, throws with stderr on a non-zero exit. */
/** One git process with exactly `env`; a non-zero exit throws with git's message unless allowed. */
export async function spawnGit(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  options: { stdin?: string; allowFailure?: boolean } = {},
): Promise<{ code: number; stdout: string }> {
  const child = new Deno.Command("git", {
    args,
    cwd,
    env,
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  const text = decoder.decode(stdout);
  if (code !== 0 && !options.allowFailure) {
    const detail = decoder.decode(stderr).trim() || text.trim();
    throw new Error(`git ${args.join(" ")} in "${cwd}" exited with ${code}: ${detail}`);
  }
  return { code, stdout: text };
}

export async function runGit(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<string> {
  return (await spawnGit(args, cwd, env, stdin === undefined ? {} : { stdin })).stdout.trim();
}

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(base: Plain, extra: Plain): Plain {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
