/**
 * Names nobody chose to be friendly: directories and files that are not UTF-8 are still watched (by polling)
 * and reported byte for byte; file and branch names with control or bidi characters, and a remote URL with a
 * password, reach the log file and `status` escaped and redacted.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { localDaemon } from "../helpers/local_daemon.ts";
import type { Daemon } from "../../src/daemon/daemon.ts";
import { FsWatcher } from "../../src/daemon/watcher.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { logFilePath } from "../../src/config/paths.ts";

/** Runs a shell line in the clone: the only way to name a file whose name Deno cannot spell. */
async function sh(machine: Machine, repo: string, script: string): Promise<void> {
  const output = await new Deno.Command("sh", {
    args: ["-c", script],
    cwd: machine.repoPath(repo),
    env: machine.env,
    clearEnv: true,
  }).output();
  if (!output.success) throw new Error(`sh -c ${script}: ${new TextDecoder().decode(output.stderr)}`);
}

function daemonFor(machine: Machine, store: MemoryStore): Daemon {
  return localDaemon(machine, ["repo1"], {
    store,
    createWatcher: (events) => new FsWatcher(events),
    pollFallbackMs: 300,
  }).daemon;
}

Deno.test("edits inside a directory whose name is not UTF-8 are reported within seconds", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  await sh(
    a,
    "repo1",
    `d=$(printf 'd\\377'); mkdir "$d" && echo one > "$d/f.txt" && git add -A && git commit -qm odd`,
  );
  const store = new MemoryStore();
  const daemon = daemonFor(a, store);
  const running = daemon.run();
  try {
    await waitFor("the clean state in the store", async () => {
      const [status] = await store.listRepositories("a");
      return status?.clean || undefined;
    });
    // Seen only once the daemon reads the repository again after its watches are in place.
    await sh(a, "repo1", `echo new > "$(printf 'n\\376.txt')"`);
    await waitFor("the untracked odd file in the store", async () => {
      const [status] = await store.listRepositories("a");
      return status?.changes.untracked === 1 || undefined;
    }, 10_000);
    await sh(a, "repo1", `echo two >> "$(printf 'd\\377')/f.txt"`);
    const edited = await waitFor("the edit inside the odd directory in the store", async () => {
      const [status] = await store.listRepositories("a");
      return status?.changes.unstaged === 1 ? status : undefined;
    }, 10_000);
    assert.deepEqual(edited.changes.entries.map((e) => e.path).sort(), ["d\\xff/f.txt", "n\\xfe.txt"]);
  } finally {
    daemon.stop();
    await running;
  }
});

const BIDI = "\u202e";
const CSI = "\u009b";

Deno.test("control characters in names and a password in a remote URL reach the log and status escaped", async () => {
  await using f = await fleet({ machines: ["a"], repositories: ["repo1", "repo2", "repo3"], setupAws: true });
  const a = f.machine("a");
  const c = await f.ws.addMachine("c");
  // repo1: a local edit to a file a push changes too, so the refusal names it.
  const file = `notes${BIDI}txt.exe${CSI}2J.md`;
  await c.commitFile("repo1", file, "one\n", "add");
  await c.push("repo1");
  await a.git("repo1", "pull", "-q", "--ff-only");
  await c.commitFile("repo1", file, "two\n", "change");
  await c.push("repo1");
  await Deno.writeTextFile(join(a.repoPath("repo1"), file), "local\n");
  // repo2: a checked-out branch named to recolor or reorder the terminal.
  const branch = `topic${CSI}31m${BIDI}`;
  await a.git("repo2", "checkout", "-q", "-b", branch, "--track", "origin/main");
  // repo3: a remote whose URL carries a password; git:// prints it back when the lookup fails.
  await a.git("repo3", "remote", "set-url", "origin", "git://user:s3cret@127.0.0.1:1/repo3.git");

  const once = await f.cli("a", ["run", "--once"]);
  assert.equal(once.code, 1, "repo3's fetch failed");
  assertClean(once.stderr, "run --once");

  const log = await Deno.readTextFile(logFilePath(a.home));
  assert.match(
    log,
    /Fast-forward of repo1: blocked \(local changes would be overwritten: notes\\u202etxt\.exe\\x9b2J\.md/,
  );
  assert.match(log, /Fetch of repo3 failed: .*user:\*\*\*@127\.0\.0\.1/);
  assertClean(log, "the log file");

  const table = await f.ok("a", ["status"], { env: { ...f.env("a"), NO_COLOR: "1" } });
  assert.match(table.stdout, /topic\\x9b31m\\u202e/);
  assert.match(table.stdout, /notes\\u202etxt\.exe\\x9b2J\.md/);
  assertClean(table.stdout + table.stderr, "status");

  const json = await statusJson(f, "a");
  assert.equal(repoOf(json, "a", "repo2")?.branch, branch, "JSON keeps the name exactly");
  assert.doesNotMatch(JSON.stringify(json), /s3cret/);
  assert.match(String(repoOf(json, "a", "repo3")?.error), /user:\*\*\*@/);
});

function assertClean(text: string, where: string): void {
  assert.doesNotMatch(text, /s3cret/, `${where} shows the password`);
  assert.ok(!text.includes(BIDI), `${where} holds a raw bidi override`);
  assert.ok(!text.includes(CSI), `${where} holds a raw C1 control`);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /\x1b/, `${where} holds an escape sequence`);
}
