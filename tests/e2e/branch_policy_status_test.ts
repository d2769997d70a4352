/**
 * The autoPull policy from the config file to the status table, through the real CLI on the emulators: b's
 * file says `autoPull: current` globally and `others` for one repository; after `run --once` each moved only
 * the branches its policy names, and `status` on a says "policy" for the ones left behind.
 */

import assert from "node:assert/strict";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import type { SyncResult } from "../../src/state/repo_status.ts";

const REPOS = ["keep-current", "keep-others"];

/** b tracks a topic branch in `repo`; a then pushes one commit to main and one to topic. */
async function bothBranchesBehind(f: Fleet, repo: string): Promise<{ main: string; topic: string }> {
  const a = f.machine("a");
  const b = f.machine("b");
  await a.git(repo, "branch", "topic");
  await a.push(repo, "origin", "topic");
  await b.git(repo, "fetch", "--quiet");
  await b.git(repo, "branch", "--quiet", "--track", "topic", "origin/topic");
  await a.git(repo, "checkout", "--quiet", "topic");
  const topic = await a.commitFile(repo, "topic.txt", "1\n", "on topic");
  await a.git(repo, "checkout", "--quiet", "main");
  const main = await a.commitFile(repo, "main.txt", "1\n", "on main");
  await a.push(repo, "origin", "main", "topic");
  return { main, topic };
}

Deno.test("status says policy for the branches b's autoPull left behind, from the config file on", async () => {
  await using f = await fleet({
    machines: ["a", "b"],
    repositories: REPOS,
    setupAws: true,
    config: (m) =>
      m === "b"
        ? { autoPull: "current", repositories: ["keep-current", { name: "keep-others", autoPull: "others" }] }
        : {},
  });
  const b = f.machine("b");
  const current = await bothBranchesBehind(f, "keep-current");
  const others = await bothBranchesBehind(f, "keep-others");

  await f.ok("b", ["run", "--once"]);
  assert.equal(await b.head("keep-current"), current.main);
  assert.notEqual(await b.git("keep-current", "rev-parse", "refs/heads/topic"), current.topic);
  assert.notEqual(await b.head("keep-others"), others.main);
  assert.equal(await b.git("keep-others", "rev-parse", "refs/heads/topic"), others.topic);

  const table = await f.ok("a", ["status", "--host", "b"], { env: { NO_COLOR: "1" } });
  const row = (name: string) => {
    const line = table.stdout.split("\n").find((l) => l.startsWith(`${name} `));
    assert.ok(line, `no row for ${name}:\n${table.stdout}`);
    return line.replace(/\s+/g, " ");
  };
  assert.match(row("keep-current"), /^keep-current b main UP_TO_DATE .* policy: topic behind$/);
  assert.match(row("keep-others"), / BEHIND .* not fast-forwarded: policy: autoPull is others; topic /);

  const json = await statusJson(f, "a", ["--host", "b"]);
  const sync = (repo: string) => repoOf(json, "b", repo)?.sync as SyncResult | null | undefined;
  assert.equal(sync("keep-current")?.result, "fast-forwarded");
  assert.deepEqual(sync("keep-current")?.policyHeld, ["topic"], "status --json lists the held branches");
  assert.equal(sync("keep-others")?.result, "skipped");
  assert.equal(sync("keep-others")?.policyHeld, undefined);
});
