/**
 * A running daemon follows its config file: repositories added or removed by an edit (an editor's
 * save-by-rename into a symlinked file, `gitargus add`) or picked up on SIGHUP apply without a restart, and an
 * invalid edit leaves the config in force.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { type CliProcess, waitFor } from "../helpers/cli.ts";

type ConfigData = Record<string, unknown> & { repositories: unknown[] };

/** Moves the config into a dotfiles folder and leaves a symlink to it, as dotfile managers do. */
async function symlinkConfig(f: Fleet): Promise<string> {
  const home = f.machine("a").home;
  const link = join(home, ".gitargus", "config.yml");
  const target = join(home, "dotfiles", "gitargus.yml");
  await Deno.mkdir(join(home, "dotfiles"));
  await Deno.rename(link, target);
  await Deno.symlink(target, link);
  return target;
}

/** Saves as editors do: a new file renamed over the old one. */
async function edit(file: string, change: (data: ConfigData) => void): Promise<void> {
  const data = parse(await Deno.readTextFile(file)) as ConfigData;
  change(data);
  await Deno.writeTextFile(`${file}.tmp`, stringify(data));
  await Deno.rename(`${file}.tmp`, file);
}

async function storedNames(f: Fleet): Promise<string[]> {
  const status = await statusJson(f, "a");
  return (status.hosts.find((h) => h.hostname === "a")?.repositories ?? []).map((r) => r.name).sort();
}

function hookFile(f: Fleet, repo: string): string {
  return join(f.machine("a").repoPath(repo), ".git", "hooks", "pre-push");
}

async function hasHook(f: Fleet, repo: string): Promise<boolean> {
  return /gitargus/.test(await Deno.readTextFile(hookFile(f, repo)).catch(() => ""));
}

function linesMatching(daemon: CliProcess, pattern: RegExp): string[] {
  return daemon.output().split("\n").filter((line) => pattern.test(line));
}

Deno.test("a running daemon applies edits of its config file without a restart", async (t) => {
  await using f = await fleet({
    machines: ["a"],
    repositories: ["repo1", "repo2", "repo3"],
    setupAws: true,
    config: () => ({ repositories: ["repo1"] }),
  });
  const a = f.machine("a");
  const file = await symlinkConfig(f);
  const daemon = await f.start("a", ["--verbose", "run"]);
  await daemon.waitForLine(/Watching 1 repositories/, 30_000);
  assert.equal(await hasHook(f, "repo2"), false);

  await t.step(
    "a repository added to the symlinked file gets its hook and its state in the store",
    async () => {
      await edit(file, (data) => data.repositories.push("repo2"));
      await daemon.waitForLine(/Added repo2: it is configured now/);
      assert.ok(await hasHook(f, "repo2"), "the hook is installed");
      await waitFor("repo2 in the store", async () => (await storedNames(f)).includes("repo2"));
    },
  );

  await t.step("a removed repository leaves the store and its edits are no longer reported", async () => {
    await edit(file, (data) => data.repositories = data.repositories.filter((r) => r !== "repo2"));
    await waitFor("repo2 gone from the store", async () => !(await storedNames(f)).includes("repo2"));
    await Deno.writeTextFile(join(a.repoPath("repo2"), "after-removal.txt"), "x\n");
    await Deno.writeTextFile(join(a.repoPath("repo1"), "still-watched.txt"), "x\n");
    await waitFor("the edit of repo1 in the store", async () => {
      const repo = repoOf(await statusJson(f, "a"), "a", "repo1") as { changes?: { untracked?: number } };
      return repo?.changes?.untracked === 1;
    });
    assert.deepEqual(await storedNames(f), ["repo1"]);
  });

  await t.step(
    "an invalid edit is logged once with its key path and the next valid edit applies",
    async () => {
      await edit(file, (data) => data.repositories.push({ name: "repo3", autoPull: "maybe" }));
      const warning = await daemon.waitForLine(/Config not reloaded/);
      assert.match(warning, /"repositories\[1\]\.autoPull"/);
      assert.match(warning, /line \d+/);
      await edit(file, (data) => data.repositories[1] = { name: "repo3", autoPull: false });
      await waitFor("repo3 in the store", async () => (await storedNames(f)).includes("repo3"));
      assert.equal(linesMatching(daemon, /Config not reloaded/).length, 1, daemon.output());
    },
  );

  await t.step("SIGHUP reloads the config and the daemon keeps running", async () => {
    const from = daemon.lineCount();
    Deno.kill(daemon.pid, "SIGHUP");
    await daemon.waitForLine(/Reloading the config \(SIGHUP\)/, 15_000, { fromLine: from });
    await daemon.waitForLine(/Config reloaded: no repository changed/, 15_000, { fromLine: from });
  });

  await t.step("gitargus add against the running daemon is applied without a restart", async () => {
    const added = await f.ok("a", ["add", a.repoPath("repo2")]);
    assert.match(added.stdout, /^A running daemon applies the change now\.$/m);
    await waitFor("repo2 in the store again", async () => (await storedNames(f)).includes("repo2"));
  });

  assert.equal(await daemon.stop(), 0, daemon.output());
  assert.equal(linesMatching(daemon, /restart the daemon/).length, 0, daemon.output());
});
