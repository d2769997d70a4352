/** Two clones of one origin for the git side of work in progress: locating, saving, carrying, planning. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "./git_fixture.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { locateRepository } from "../../src/git/repo.ts";
import { planRestore, type RestorePlan, wipRef } from "../../src/wip/mod.ts";
import { buildSnapshot, type Built } from "../../src/wip/snapshot.ts";
import { fetchSnapshot, pushSnapshot } from "../../src/wip/remote.ts";

export const REPO = "repo1";
export const OPTIONS = { host: "a", now: () => new Date(), maxFileSize: 1024 * 1024, force: false };

export async function setup() {
  const ws = await gitWorkspace({ machines: ["a", "b"], repositories: [REPO] });
  const machine = async (m: Machine) => {
    const runner = new DenoGitRunner({ env: gitEnvironment((name) => m.env[name]) });
    const found = await locateRepository(runner, { name: REPO, path: m.repoPath(REPO), autoPull: true });
    if (!found.ok) throw new Error(found.reason);
    return { m, runner, location: found.location };
  };
  return { ws, a: await machine(ws.machine("a")), b: await machine(ws.machine("b")) };
}

export type Side = Awaited<ReturnType<typeof setup>>["a"];

export function saved(built: Built) {
  assert.equal(built.kind, "saved", JSON.stringify(built));
  return (built as Extract<Built, { kind: "saved" }>).snapshot;
}

/** Saves on a, pushes, fetches on b: the snapshot's commit as b has it. */
export async function carry(a: Side, b: Side): Promise<string> {
  const snapshot = saved(await buildSnapshot(a.runner, a.location, OPTIONS));
  const ref = wipRef("a", snapshot.branch);
  await pushSnapshot(a.runner, a.location, "origin", snapshot.commit, ref);
  const fetched = await fetchSnapshot(b.runner, b.location, "origin", ref);
  assert.equal(fetched, snapshot.commit);
  return snapshot.commit;
}

export function refused(plan: RestorePlan, pattern: RegExp) {
  assert.equal(plan.safe, false, "expected the restore to be refused");
  const reasons = (plan as Extract<RestorePlan, { safe: false }>).reasons.join("; ");
  assert.match(reasons, pattern);
}

export async function safePlan(b: Side, commit: string) {
  const plan = await planRestore(b.runner, b.location, commit);
  assert.ok(plan.safe, JSON.stringify(plan));
  return plan as Extract<RestorePlan, { safe: true }>;
}

/** Staged, unstaged, untracked, deleted, renamed, binary, mode-changed, a symlink, staged then edited. */
export async function makeWork(m: Machine, repo: string): Promise<void> {
  const path = m.repoPath(repo);
  await m.commitFile(repo, "old.txt", "to be renamed\n", "old");
  await m.commitFile(repo, "gone.txt", "to be deleted\n", "gone");
  await m.commitFile(repo, "run.sh", "echo hi\n", "script");
  await m.commitFile(repo, "docs/only.md", "the only file of docs/\n", "docs");
  await m.push(repo);
  await Deno.writeTextFile(join(path, "staged.txt"), "staged\n");
  await m.git(repo, "add", "staged.txt");
  await Deno.writeTextFile(join(path, "staged.txt"), "staged, then edited\n");
  await Deno.writeTextFile(join(path, "README.md"), "# edited, not staged\n");
  await Deno.writeTextFile(join(path, "notes.md"), "untracked\n");
  await m.git(repo, "rm", "--quiet", "gone.txt");
  await m.git(repo, "mv", "old.txt", "new.txt");
  await Deno.remove(join(path, "docs"), { recursive: true });
  await Deno.writeFile(join(path, "logo.bin"), new Uint8Array([0, 1, 2, 255, 0, 10, 13]));
  await Deno.chmod(join(path, "run.sh"), 0o755);
  await Deno.symlink("README.md", join(path, "link"));
}
