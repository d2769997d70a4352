/**
 * Seeded, reproducible randomized test of the receiving machine: for each generated situation, a real origin
 * and clone are set up, another machine's push lands on the origin, and the daemon's own steps for a push
 * event (fetch, fast-forward, refresh) run; then the oracle checks that no work was lost, that a branch moved
 * exactly when that was safe, and that the recorded state is true.
 *
 *   GITARGUS_SAFETY_SEED    the seed (default below, fixed so CI always runs the same situations)
 *   GITARGUS_SAFETY_CASES   how many situations (default 240; `deno task test:safety` runs 2,000)
 *   GITARGUS_SAFETY_CASE    run only this case number, as a failure report suggests
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { RepoMonitor } from "../../src/daemon/monitor.ts";
import { DenoGitRunner, gitEnvironment } from "../../src/git/runner.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logger } from "../../src/log/logger.ts";
import { describeSituation, generateSituation, type Situation } from "../helpers/safety_scenarios.ts";
import { branchFacts, judge, observe, type PlainGit } from "../helpers/safety_oracle.ts";
import {
  buildTemplate,
  fixtureGit,
  HOST,
  originTips,
  REPO,
  stageCase,
  type StagedCase,
  type Template,
} from "../helpers/safety_setup.ts";

const DEFAULT_SEED = 20261202;
const DEFAULT_CASES = 240;
/** Situations set up and checked at once: most of a case is waiting for git processes. */
const WORKERS = 3;

function envNumber(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number, not "${raw}"`);
  }
  return value;
}

/** A fast-import stream: every commit of a case in one git process, with fixed dates so shas repeat. */
const instantClock = { now: () => new Date(), sleep: () => Promise.resolve() };

/** One case from start to verdict; the violations found, empty when the invariants held. */
async function runCase(
  git: PlainGit,
  runner: DenoGitRunner,
  s: Situation,
  template: Template,
  root: string,
): Promise<{ violations: string[]; moved: boolean }> {
  const dir = join(root, `case-${s.index}`);
  await Deno.mkdir(dir);
  try {
    const staged: StagedCase = await stageCase(git, s, template, dir);
    const before = await observe(git, staged.clone, staged.linked);
    const incoming = await originTips(git, staged.origin);
    const store = new MemoryStore();
    const monitor = new RepoMonitor(
      {
        runner,
        store,
        hostname: HOST,
        clock: instantClock,
        log: logger("safety"),
        fetchTimeoutMs: 30_000,
        // Each situation is staged with git just before its push lands: no user is at work in it.
        userQuietMs: 0,
      },
      [{ name: REPO, path: staged.clone, autoPull: true }],
    );
    await monitor.fetch(REPO);
    await monitor.fastForward(REPO);
    await monitor.refresh(REPO);
    const [record] = await store.listRepositories(HOST);
    const after = await observe(git, staged.clone, staged.linked);
    const facts = await branchFacts(git, staged.clone, before, incoming);
    const moved = [...before.branches].some(([name, b]) => after.branches.get(name)?.sha !== b.sha);
    return { violations: judge(s, before, after, facts, record), moved };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("a push event never loses local work and fast-forwards exactly when safe, in every generated situation", async () => {
  const seed = envNumber("GITARGUS_SAFETY_SEED", DEFAULT_SEED);
  const only = Deno.env.get("GITARGUS_SAFETY_CASE");
  const indexes = only !== undefined && only !== ""
    ? [envNumber("GITARGUS_SAFETY_CASE", 0)]
    : [...Array(envNumber("GITARGUS_SAFETY_CASES", DEFAULT_CASES)).keys()];
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-safety-" }));
  try {
    const git = await fixtureGit(root);
    const template = await buildTemplate(git, root);
    const runner = new DenoGitRunner({ env: gitEnvironment((name) => git.env[name]) });
    const failures: string[] = [];
    let moves = 0;
    let next = 0;
    const worker = async () => {
      while (next < indexes.length) {
        const s = generateSituation(seed, indexes[next++]!);
        let problems: string[];
        try {
          const outcome = await runCase(git, runner, s, template, root);
          if (outcome.moved) moves++;
          problems = outcome.violations;
        } catch (error) {
          problems = [`setting up the situation failed: ${(error as Error).message}`];
        }
        if (problems.length === 0) continue;
        const rerun = `re-run: GITARGUS_SAFETY_SEED=${seed} GITARGUS_SAFETY_CASE=${s.index} ` +
          "deno test --allow-all tests/integration/data_safety_test.ts";
        failures.push(`case ${s.index}: ${describeSituation(s)}\n  ${problems.join("\n  ")}\n  ${rerun}`);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    failures.sort((a, b) => caseNumber(a) - caseNumber(b));
    console.log(
      `${indexes.length} situations (seed ${seed}): ${moves} moved a branch, ${failures.length} failed`,
    );
    const broken = (n: number) => failures.filter((f) => f.includes(`\n  (${n})`)).length;
    assert.equal(
      failures.length,
      0,
      `${failures.length} of ${indexes.length} situations broke an invariant (seed ${seed}; ` +
        `(1) lost commits: ${broken(1)}, (2) changed local files: ${broken(2)}, ` +
        `(3) moved when unsafe or stayed when safe: ${broken(3)}, (4) untrue record: ${broken(4)}):\n\n` +
        failures.slice(0, 30).join("\n\n"),
    );
    // A generator that stopped producing movable situations would pass vacuously.
    if (indexes.length >= 50) {
      assert.ok(moves >= indexes.length / 10, `only ${moves} situations moved a branch`);
    }
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});

function caseNumber(failure: string): number {
  return Number(/^case (\d+)/.exec(failure)?.[1] ?? 0);
}
