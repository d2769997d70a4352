import assert from "node:assert/strict";
import { join } from "node:path";
import type { ConfigError } from "../errors.ts";
import { loadConfig, type LoadOptions } from "./load.ts";
import { notifyConfig, PYTHON_NOTICE } from "./resolve.ts";
import { assertConfigError, tempDir, thrownBy } from "./_testing.ts";

/** Options that read `file` with HOME at `home` and a fixed host name. */
function options(file: string, home = "/nonexistent-home"): LoadOptions {
  const env: Record<string, string> = { HOME: home };
  return { explicitPath: file, env: (name) => env[name], hostname: () => "os-host" };
}

async function assertLoadFails(
  options: LoadOptions,
  keyPath: string | undefined,
  line: number | undefined,
  fragment: string,
): Promise<ConfigError> {
  const error = await thrownBy(() => loadConfig(options));
  assertConfigError(error, { keyPath, line, fragment });
  return error;
}

Deno.test("loadConfig() loads the legacy format unchanged and notes the obsolete python key", async () => {
  await using dir = await tempDir();
  const root = await dir.mkdir("Workspace");
  await dir.mkdir("Workspace/repo1/.git");
  await dir.mkdir("Workspace/project1/repo1/.git");
  const file = await dir.write(
    ".gitargus/config.yml",
    `hostname: machine
root: ${root}
repositories: [repo1, project1/repo1]
aws: { dynamodb: { table: git }, sqs: { queue: machine.fifo }, sns: { topic: { arn: "arn:aws:sns:eu-central-1:123456789012:git.fifo" } } }
timezone: Europe/Budapest
python: { bin: /usr/bin/python3.11 }
`,
  );
  const config = await loadConfig(options(file));
  assert.deepEqual(config, {
    file,
    hostname: "machine",
    root,
    repositories: [
      { name: "repo1", path: join(root, "repo1"), autoPull: true },
      { name: "project1/repo1", path: join(root, "project1/repo1"), autoPull: true },
    ],
    timezone: "Europe/Budapest",
    autoPull: true,
    aws: {
      dynamodb: { table: "git" },
      sqs: { queue: "machine.fifo" },
      sns: { topic: { arn: "arn:aws:sns:eu-central-1:123456789012:git.fifo" } },
    },
    daemon: { reconcileMinutes: 15, heartbeatSeconds: 60, fetchTimeoutSeconds: 60, parallelism: 4 },
    // What the alpha never had: its defaults.
    notify: notifyConfig(true),
    eventHooks: [],
    wip: { maxFileSizeMB: 10, saveIdleMinutes: 0, saveOnStop: false },
    notices: [PYTHON_NOTICE],
  });
});

Deno.test("loadConfig() takes the OS host name and gives no notices when the file omits them", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `root: ${dir.path}\n`);
  const config = await loadConfig(options(file));
  assert.equal(config.hostname, "os-host");
  assert.deepEqual(config.notices, []);
  assert.equal(config.timezone, undefined);
  assert.ok(!("timezone" in config));
});

Deno.test("loadConfig() reads the default location under HOME", async () => {
  await using dir = await tempDir();
  await dir.write(".gitargus/config.yml", "root: ~/work\n");
  const work = await dir.mkdir("work");
  const config = await loadConfig({
    env: (name) => (name === "HOME" ? dir.path : undefined),
    hostname: () => "h",
  });
  assert.equal(config.file, join(dir.path, ".gitargus/config.yml"));
  assert.equal(config.root, work);
});

Deno.test("loadConfig() prefers GITARGUS_CONFIG over the default location", async () => {
  await using dir = await tempDir();
  const file = await dir.write("elsewhere.yml", `root: ${dir.path}\nhostname: from-env\n`);
  const env: Record<string, string> = { HOME: dir.path, GITARGUS_CONFIG: file };
  const config = await loadConfig({ env: (name) => env[name] });
  assert.equal(config.hostname, "from-env");
});

Deno.test("loadConfig() normalizes names, converts absolute paths and applies per-repository autoPull", async () => {
  await using dir = await tempDir();
  const file = await dir.write(
    "config.yml",
    `root: ${dir.path}/
autoPull: false
repositories:
  - ./a/
  - ${dir.path}/b/c
  - { name: "d\\\\e", autoPull: true }
  - x/../y
`,
  );
  const config = await loadConfig(options(file));
  assert.deepEqual(config.repositories, [
    { name: "a", path: join(dir.path, "a"), autoPull: false },
    { name: "b/c", path: join(dir.path, "b/c"), autoPull: false },
    { name: "d/e", path: join(dir.path, "d/e"), autoPull: true },
    { name: "y", path: join(dir.path, "y"), autoPull: false },
  ]);
});

Deno.test("loadConfig() accepts a repository that does not exist yet", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `root: ${dir.path}\nrepositories: [not/cloned/yet]\n`);
  const config = await loadConfig(options(file));
  assert.equal(config.repositories[0]?.path, join(dir.path, "not/cloned/yet"));
});

Deno.test("loadConfig() says to run gitargus init when the file does not exist", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, "missing.yml");
  const error = await assertLoadFails(options(file), undefined, undefined, 'run "gitargus init"');
  assert.ok(error.message.includes(file));
  assert.ok(error.message.includes("does not exist"));
});

Deno.test("loadConfig() reports a file it cannot read", async () => {
  await using dir = await tempDir();
  const file = await dir.mkdir("config.yml");
  await assertLoadFails(options(file), undefined, undefined, "cannot read the file");
});

Deno.test("loadConfig() refuses a root that does not exist", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `hostname: h\nroot: ${dir.path}/nowhere\n`);
  await assertLoadFails(options(file), "root", 2, "does not exist");
});

Deno.test("loadConfig() refuses a root that is a file", async () => {
  await using dir = await tempDir();
  const plain = await dir.write("plain.txt", "x");
  const file = await dir.write("config.yml", `root: ${plain}\n`);
  await assertLoadFails(options(file), "root", 1, "is not a directory");
});

Deno.test("loadConfig() refuses a root under ~ when HOME is not set", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", "root: ~/Workspace\n");
  await assertLoadFails({ explicitPath: file, env: () => undefined }, "root", 1, "HOME is not set");
});

Deno.test("loadConfig() refuses a repository that climbs out of root with ..", async () => {
  await using dir = await tempDir();
  const root = await dir.mkdir("root");
  const file = await dir.write("config.yml", `root: ${root}\nrepositories:\n  - ok\n  - ../outside\n`);
  await assertLoadFails(options(file), "repositories[1]", 4, 'repository "../outside" is outside root');
});

Deno.test("loadConfig() refuses an absolute repository path outside root", async () => {
  await using dir = await tempDir();
  const root = await dir.mkdir("root");
  const file = await dir.write("config.yml", `root: ${root}\nrepositories: [${dir.path}/other]\n`);
  await assertLoadFails(options(file), "repositories[0]", 2, "is outside root");
});

Deno.test("loadConfig() refuses a repository that leaves root through a symlink", async () => {
  await using dir = await tempDir();
  const root = await dir.mkdir("root");
  const outside = await dir.mkdir("outside/repo");
  await Deno.symlink(outside, join(root, "link"));
  const file = await dir.write("config.yml", `root: ${root}\nrepositories:\n  - name: link\n`);
  await assertLoadFails(options(file), "repositories[0].name", 3, `resolves to "${outside}", outside root`);
});

Deno.test("loadConfig() refuses a missing repository under a symlinked folder outside root", async () => {
  await using dir = await tempDir();
  const root = await dir.mkdir("root");
  const outside = await dir.mkdir("outside");
  await Deno.symlink(outside, join(root, "project"));
  const file = await dir.write("config.yml", `root: ${root}\nrepositories: [project/not-cloned]\n`);
  await assertLoadFails(options(file), "repositories[0]", 2, "outside root");
});

Deno.test("loadConfig() refuses a repository listed twice under different spellings", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `root: ${dir.path}\nrepositories:\n  - a/b\n  - ./a/b/\n`);
  await assertLoadFails(
    options(file),
    "repositories[1]",
    4,
    'repository "a/b" is listed twice (also at repositories[0])',
  );
});

Deno.test("loadConfig() refuses a repository name that names root itself", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `root: ${dir.path}\nrepositories: ["./"]\n`);
  await assertLoadFails(options(file), "repositories[0]", 2, "is empty or names root itself");
});

Deno.test("loadConfig() passes validation errors through with the file name", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", `root: ${dir.path}\nreposirories: []\n`);
  const error = await assertLoadFails(options(file), "reposirories", 2, 'did you mean "repositories"?');
  assert.equal(error.file, file);
});
