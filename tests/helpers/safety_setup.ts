/**
 * The data-safety test's situations on disk: a template origin and clone built once, copied per case, the
 * generated local state applied to it, and the other machine's push written into the origin.
 */

import { dirname, join } from "node:path";
import {
  baseTree,
  FEATURES,
  featureTree,
  type IncomingChange,
  type LocalChange,
  type OperationKind,
  type Situation,
  TEXT,
  type Tree,
} from "./safety_scenarios.ts";
import { PlainGit } from "./safety_oracle.ts";

export const HOST = "receiver";
export const REPO = "repo";
const EPOCH = 1_700_000_000;

class ImportStream {
  #text = "";
  #mark = 0;
  #time = EPOCH;

  commit(ref: string, from: string | null, message: string, changes: IncomingChange[], tree?: Tree): string {
    const mark = `:${++this.#mark}`;
    this.#text += `commit ${ref}\nmark ${mark}\ncommitter Other <other@example.test> ${this.#time++} +0000\n`;
    this.#text += `${data(message)}${from ? `from ${from}\n` : ""}`;
    for (const change of changes) this.#text += changeCommand(change);
    for (const [path, entry] of tree ?? []) {
      this.#text += changeCommand({ op: "add", path, ...entry });
    }
    return mark;
  }

  reset(ref: string, to: string): void {
    this.#text += `reset ${ref}\nfrom ${to}\n\n`;
  }

  async run(git: PlainGit, dir: string): Promise<void> {
    if (this.#text) {
      await git.run(dir, ["fast-import", "--quiet", "--force", "--done"], { stdin: `${this.#text}done\n` });
    }
  }
}

function data(text: string): string {
  return `data ${new TextEncoder().encode(text).length}\n${text}\n`;
}

function changeCommand(change: IncomingChange): string {
  switch (change.op) {
    case "delete":
      return `D ${change.path}\n`;
    case "rename":
      return `R ${change.from} ${change.to}\n`;
    default:
      return `M ${change.executable ? "100755" : "100644"} inline ${change.path}\n${data(change.content)}`;
  }
}

/** What every case starts from: the origin and a fresh clone of it, copied into the case's folder. */
export interface Template {
  origin: string;
  clone: string;
  tips: Map<string, string>;
  /** Per feature, a commit on top of it that only the clone has, for branches generated as ahead. */
  ahead: Map<string, string>;
}

/** The origin has two commits on main, a clashing branch and three features. */
export async function buildTemplate(git: PlainGit, root: string): Promise<Template> {
  const dir = join(root, "template.git");
  await Deno.mkdir(dir);
  await git.run(dir, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  const stream = new ImportStream();
  const first = stream.commit("refs/heads/main", null, "First", [], baseTree(true));
  const base = stream.commit("refs/heads/main", first, "Second", [], baseTree());
  const readme = (content: string): IncomingChange => ({
    op: "modify",
    path: "README.md",
    content,
    executable: false,
  });
  stream.commit("refs/heads/clash", first, "Clash", [readme(TEXT.readmeClash)]);
  for (const feature of FEATURES) {
    const entry = featureTree(feature).get(`${feature}.txt`)!;
    stream.commit(`refs/heads/${feature}`, base, feature, [{ op: "add", path: `${feature}.txt`, ...entry }]);
  }
  await stream.run(git, dir);
  const tips = new Map<string, string>();
  const refs = await git.out(dir, "for-each-ref", "--format=%(refname)%00%(objectname)", "refs/heads");
  for (const line of refs.split("\n")) tips.set(...(line.split("\0") as [string, string]));
  tips.set("first", await git.out(dir, "rev-parse", "refs/heads/main~1"));
  const clone = join(root, "template-clone");
  await git.run(root, ["clone", "--quiet", "--local", "--no-hardlinks", dir, clone]);
  const local = new ImportStream();
  for (const f of FEATURES) {
    const change: IncomingChange = {
      op: "add",
      path: `local-${f}.txt`,
      content: "local\n",
      executable: false,
    };
    local.commit(`refs/ahead/${f}`, tips.get(`refs/heads/${f}`)!, `local ${f}`, [change]);
  }
  await local.run(git, clone);
  const ahead = new Map<string, string>();
  for (const f of FEATURES) {
    ahead.set(f, await git.out(clone, "rev-parse", `refs/ahead/${f}`));
    // Only the objects stay: each case points a branch at them when it needs them.
    await git.run(clone, ["update-ref", "-d", `refs/ahead/${f}`]);
  }
  return { origin: dir, clone, tips, ahead };
}

/**
 * A copy of the template's origin and clone, with the situation's local branches, made in-process: `git clone`
 * and `git branch --track` per case would cost more than the rest of the setup together. The refs and config
 * entries written are the ones git writes; the index is refreshed as a clone leaves it, so no file looks touched.
 */
async function copyTemplate(
  git: PlainGit,
  template: Template,
  s: Situation,
  origin: string,
  clone: string,
): Promise<void> {
  await copyTree(template.origin, origin);
  await copyTree(template.clone, clone);
  let config = (await Deno.readTextFile(join(clone, ".git", "config"))).replaceAll(template.origin, origin);
  for (const f of s.localFeatures) {
    const sha = s.featuresAhead.includes(f) ? template.ahead.get(f)! : template.tips.get(`refs/heads/${f}`)!;
    await Deno.writeTextFile(join(clone, ".git", "refs", "heads", f), `${sha}\n`);
    config += `[branch "${f}"]\n\tremote = origin\n\tmerge = refs/heads/${f}\n`;
  }
  await Deno.writeTextFile(join(clone, ".git", "config"), config);
  await git.run(clone, ["update-index", "-q", "--refresh"]);
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to);
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

export interface StagedCase {
  clone: string;
  origin: string;
  linked: string[];
}

/** Builds the situation on disk: the user's clone as generated, then the other machine's push on the origin. */
export async function stageCase(
  git: PlainGit,
  s: Situation,
  template: Template,
  dir: string,
): Promise<StagedCase> {
  const origin = join(dir, "origin.git");
  const clone = join(dir, "clone");
  await copyTemplate(git, template, s, origin, clone);
  const run = (...args: string[]) => git.run(clone, args);
  if (s.head === "detached") await run("checkout", "--quiet", "--detach");
  else if (s.head === "scratch") await run("checkout", "--quiet", "-b", "scratch");
  else if (s.head !== "main") await run("checkout", "--quiet", s.head);
  for (let n = 1; n <= s.headCommits; n++) await commitFile(git, clone, `mine-${n}.txt`, `mine ${n}\n`);
  if (s.origHeadOnly) {
    await commitFile(git, clone, "abandoned.txt", "abandoned\n");
    await run("reset", "--quiet", "--hard", "HEAD~1");
    await run("reflog", "expire", "--expire=now", "--all");
  }
  for (let n = 1; n <= s.stashes; n++) {
    await Deno.writeTextFile(join(clone, "notes.txt"), `stashed ${n}\n`);
    await run("stash", "push", "--quiet", "-m", `stash ${n}`);
  }
  const linked: string[] = [];
  for (const w of s.worktrees) {
    const path = join(dir, `wt-${w.branch}`);
    await run("worktree", "add", "--quiet", path, w.branch);
    if (w.operation) await stopOperation(git, path, w.operation);
    if (w.edited) await Deno.writeTextFile(join(path, "notes.txt"), "edited in a linked worktree\n");
    if (w.indexLock) {
      await Deno.writeTextFile(join(clone, ".git", "worktrees", `wt-${w.branch}`, "index.lock"), "");
    }
    linked.push(path);
  }
  if (s.operation) await stopOperation(git, clone, s.operation);
  for (const change of s.changes) await applyChange(git, clone, change);
  if (s.indexLock) await Deno.writeTextFile(join(clone, ".git", "index.lock"), "");
  await push(git, s, origin, template.tips);
  return { clone, origin, linked };
}

async function commitFile(git: PlainGit, repo: string, path: string, content: string): Promise<void> {
  await Deno.writeTextFile(join(repo, path), content);
  await git.run(repo, ["add", "--", path]);
  await git.run(repo, ["commit", "--quiet", "-m", `add ${path}`]);
}

const STOP: Record<OperationKind, { args: string[]; marker: string }> = {
  "merge": { args: ["merge", "--no-edit", "--quiet", "origin/clash"], marker: "MERGE_HEAD" },
  "rebase": { args: ["rebase", "--quiet", "origin/clash"], marker: "rebase-merge" },
  "cherry-pick": { args: ["cherry-pick", "origin/clash"], marker: "CHERRY_PICK_HEAD" },
  "bisect": { args: ["bisect", "start"], marker: "BISECT_LOG" },
};

/** Runs an operation that stops for the user (README.md conflicts with origin/clash everywhere). */
async function stopOperation(git: PlainGit, dir: string, kind: OperationKind): Promise<void> {
  await git.run(dir, STOP[kind].args, { allowFailure: true });
  const gitDir = await git.out(dir, "rev-parse", "--absolute-git-dir");
  await Deno.lstat(join(gitDir, STOP[kind].marker)).catch(() => {
    throw new Error(`The ${kind} did not stop in "${dir}" as the situation needs`);
  });
}

async function applyChange(git: PlainGit, repo: string, change: LocalChange): Promise<void> {
  const file = join(repo, change.path);
  const add = () => git.run(repo, ["add", "--", change.path]);
  const toggleMode = async () => {
    const mode = (await Deno.stat(file)).mode! & 0o777;
    await Deno.chmod(file, mode & 0o100 ? mode & ~0o111 : mode | 0o111);
  };
  switch (change.kind) {
    case "edit":
      return await Deno.writeTextFile(file, change.content);
    case "edit-staged":
      await Deno.writeTextFile(file, change.content);
      return void await add();
    case "edit-staged-and-unstaged":
      await Deno.writeTextFile(file, change.content);
      await add();
      return await Deno.writeTextFile(file, `${change.content}and more, not staged\n`);
    case "delete":
      return await Deno.remove(file);
    case "delete-staged":
      // --force: a stopped rebase may have staged this path already.
      return void await git.run(repo, ["rm", "--quiet", "--force", "--", change.path]);
    case "mode":
      return await toggleMode();
    case "mode-staged":
      await toggleMode();
      return void await add();
    case "file-to-dir":
      await Deno.remove(file);
      await Deno.mkdir(file);
      return await Deno.writeTextFile(join(file, "inner.txt"), change.content);
    case "untracked":
    case "ignored":
    case "staged-new":
      await Deno.mkdir(dirname(file), { recursive: true });
      await Deno.writeTextFile(file, change.content);
      if (change.kind === "staged-new") await add();
  }
}

/** The other machine's push: new commits, a force-push or a rewind of each upstream, written on the origin. */
async function push(
  git: PlainGit,
  s: Situation,
  origin: string,
  tips: Map<string, string>,
): Promise<void> {
  const stream = new ImportStream();
  for (const p of s.incoming) {
    const ref = `refs/heads/${p.branch}`;
    const older = p.branch === "main" ? tips.get("first")! : tips.get("refs/heads/main")!;
    if (p.kind === "rewind") {
      stream.reset(ref, older);
      continue;
    }
    let from = p.kind === "force-push" ? older : tips.get(ref)!;
    for (const [n, changes] of p.commits.entries()) {
      from = stream.commit(ref, from, `${p.branch} ${p.kind} ${n + 1}`, changes);
    }
  }
  await stream.run(git, origin);
}

export async function originTips(git: PlainGit, origin: string): Promise<Map<string, string>> {
  const refs = await git.out(origin, "for-each-ref", "--format=%(refname)%00%(objectname)", "refs/heads");
  return new Map(refs.split("\n").filter(Boolean).map((line) => line.split("\0") as [string, string]));
}

export async function fixtureGit(root: string): Promise<PlainGit> {
  const home = join(root, "home");
  // No sample hooks in every repository: less to write, and nothing that could run.
  const templates = join(root, "git-templates");
  await Deno.mkdir(home);
  await Deno.mkdir(templates);
  await Deno.writeTextFile(
    join(home, ".gitconfig"),
    "[user]\n\tname = receiver\n\temail = receiver@example.test\n" +
      `[init]\n\tdefaultBranch = main\n\ttemplateDir = ${templates}\n` +
      "[advice]\n\tdetachedHead = false\n[gc]\n\tauto = 0\n[core]\n\tfileMode = true\n",
  );
  const date = `${EPOCH} +0000`;
  return new PlainGit({
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_EDITOR: "true",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    LC_ALL: "C",
  });
}
