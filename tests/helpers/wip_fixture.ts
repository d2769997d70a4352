/** Two clones of one origin for the git side of work in progress: locating, saving, carrying, planning. */

import assert from "node:assert/strict";
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
