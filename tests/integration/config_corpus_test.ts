/**
 * The corpus of broken configs, black box through the real CLI: each one exits 2 with exactly one line on
 * stderr that names the file, the key path and the line. Each file in tests/fixtures/bad_configs/ says on
 * its first line what follows the file's name in that message (`# expect: at "aws.region" (line 4)`); cases
 * that cannot be files in the repository (a directory, a dangling symlink, a huge file) are made here.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../helpers/cli.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/bad_configs/", import.meta.url));
/** Two CLI processes at once: the machine has two cores. */
const CONCURRENCY = 2;
const HUGE_BYTES = 3 * 1024 * 1024;

interface Case {
  file: string;
  /** What follows `Invalid config "<file>"` up to the colon: the key path and line, or nothing. */
  expect: string;
}

interface CorpusHome extends AsyncDisposable {
  path: string;
}

/**
 * A HOME for the CLI with what the fixtures point at: `~/ws` as root, a file where a folder is expected,
 * and a symlink inside root that leads out of it.
 */
async function corpusHome(): Promise<CorpusHome> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-corpus-" }));
  await Deno.mkdir(join(path, "ws", "repo1"), { recursive: true });
  await Deno.mkdir(join(path, "outside"));
  await Deno.symlink(join(path, "outside"), join(path, "ws", "escape"));
  await Deno.writeTextFile(join(path, "not-a-folder.txt"), "a file\n");
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function fixtureCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for await (const entry of Deno.readDir(FIXTURES)) {
    if (!entry.isFile || !entry.name.endsWith(".yml")) continue;
    const file = join(FIXTURES, entry.name);
    const first = new TextDecoder().decode(await Deno.readFile(file)).split("\n")[0]!;
    const match = /^# expect:(.*)$/.exec(first);
    assert.ok(match, `${entry.name} does not start with "# expect: ..."`);
    cases.push({ file, expect: match[1]! });
  }
  return cases.sort((a, b) => a.file.localeCompare(b.file));
}

async function generatedCases(home: string): Promise<Case[]> {
  const dir = join(home, "generated");
  await Deno.mkdir(dir);
  const directory = join(dir, "directory.yml");
  await Deno.mkdir(directory);
  const dangling = join(dir, "dangling.yml");
  await Deno.symlink(join(dir, "nothing-here.yml"), dangling);
  const huge = join(dir, "huge.yml");
  await Deno.writeTextFile(huge, "root: ~/ws\n" + "# padding\n".repeat(HUGE_BYTES / 10));
  const fifo = join(dir, "fifo.yml");
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.equal(made.code, 0, "mkfifo");
  const cases = [directory, dangling, huge, fifo, join(home, "not-a-folder.txt", "config.yml")]
    .map((file) => ({ file, expect: "" }));
  // As root, permissions do not apply: the directory and the dangling symlink stand in for this one.
  if (Deno.uid() !== 0) {
    const unreadable = join(dir, "unreadable.yml");
    await Deno.writeTextFile(unreadable, "root: ~/ws\n");
    await Deno.chmod(unreadable, 0o000);
    cases.push({ file: unreadable, expect: "" });
  }
  return cases;
}

/** What is wrong with the CLI's answer to this case, or null when it is right. */
async function problemWith(testCase: Case, home: string): Promise<string | null> {
  const { file, expect } = testCase;
  const result = await runCli(["status", "--local", "--config", file], { env: { HOME: home } });
  const shown = `${file}: exit ${result.code}, stdout ${JSON.stringify(result.stdout)}, stderr ${
    JSON.stringify(result.stderr)
  }`;
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  if (result.code !== 2 || result.stdout !== "" || lines.length !== 1) return shown;
  if (!lines[0]!.startsWith(`gitargus: Invalid config "${file}"${expect}: `)) return shown;
  if (/^\s+at |Uncaught/m.test(result.stderr)) return shown;
  return null;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

Deno.test("every broken config in the corpus exits 2 with one line naming the file, key path and line", async () => {
  await using home = await corpusHome();
  const cases = [...await fixtureCases(), ...await generatedCases(home.path)];
  assert.ok(cases.length >= 50, `the corpus has only ${cases.length} cases`);
  const problems: string[] = [];
  await inParallel(cases, CONCURRENCY, async (testCase) => {
    const problem = await problemWith(testCase, home.path);
    if (problem) problems.push(problem);
  });
  assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases answered wrongly`);
});

Deno.test("the corpus's home itself is sound: a valid config there loads", async () => {
  await using home = await corpusHome();
  const file = join(home.path, "good.yml");
  await Deno.writeTextFile(file, "hostname: laptop\nroot: ~/ws\nrepositories: [repo1]\n");
  const result = await runCli(["status", "--local", "--config", file], { env: { HOME: home.path } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
});
