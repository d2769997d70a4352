import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { renderNewConfig, setConfigValues } from "./edit.ts";
import { loadConfig } from "./load.ts";
import { parseConfigSource } from "./source.ts";
import { validateConfig } from "./schema.ts";
import { tempDir } from "./_testing.ts";

const LEGACY = `# Machine settings
hostname: machine # this laptop
root: /home/user/Workspace
repositories: [repo1, project1/repo1]

# Shared status
aws: { dynamodb: { table: git } }
timezone: Europe/Budapest
`;

Deno.test("setConfigValues() changes one key and keeps every comment and the untouched lines", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", LEGACY);
  await setConfigValues(file, [{ path: ["timezone"], value: "UTC" }]);
  assert.equal(await Deno.readTextFile(file), LEGACY.replace("Europe/Budapest", "UTC"));
});

Deno.test("setConfigValues() adds nested keys and list items", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", LEGACY);
  await setConfigValues(file, [
    { path: ["aws", "sqs", "queue"], value: "machine.fifo" },
    { path: ["repositories", 2], value: { name: "new/repo", autoPull: false } },
    { path: ["daemon", "parallelism"], value: 8 },
  ]);
  const { raw } = parseConfigSource(await Deno.readTextFile(file), file);
  assert.deepEqual(raw.aws, { dynamodb: { table: "git" }, sqs: { queue: "machine.fifo" } });
  assert.deepEqual(raw.repositories, ["repo1", "project1/repo1", { name: "new/repo", autoPull: false }]);
  assert.deepEqual(raw.daemon, { parallelism: 8 });
  const text = await Deno.readTextFile(file);
  assert.ok(text.startsWith("# Machine settings\nhostname: machine # this laptop\n"));
  assert.ok(text.includes("# Shared status\n"));
});

Deno.test("setConfigValues() keeps the original indentation and spacing of untouched blocks", async () => {
  await using dir = await tempDir();
  const daemon = "daemon:\n    parallelism: 2     # slow disk\n    heartbeatSeconds:   30\n";
  const file = await dir.write("config.yml", `root:   /r\n${daemon}`);
  await setConfigValues(file, [{ path: ["root"], value: "/s" }]);
  assert.equal(await Deno.readTextFile(file), `root: /s\n${daemon}`);
});

Deno.test("setConfigValues() fills a key that was left empty", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", "root: /r\naws:\n");
  await setConfigValues(file, [{ path: ["aws", "sqs", "queue"], value: "q.fifo" }]);
  const { raw } = parseConfigSource(await Deno.readTextFile(file), file);
  assert.deepEqual(raw.aws, { sqs: { queue: "q.fifo" } });
});

Deno.test("setConfigValues() refuses a path through a value that is not a mapping", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", "root: /r\n");
  await assert.rejects(setConfigValues(file, [{ path: ["root", "x"], value: 1 }]), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.keyPath, "root.x");
    return true;
  });
  assert.equal(await Deno.readTextFile(file), "root: /r\n");
});

Deno.test("setConfigValues() removes a key given an undefined value", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", LEGACY);
  await setConfigValues(file, [{ path: ["timezone"], value: undefined }]);
  assert.ok(!(await Deno.readTextFile(file)).includes("timezone"));
});

Deno.test("setConfigValues() creates the file and its folder when missing", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, ".gitargus", "config.yml");
  await setConfigValues(file, [{ path: ["root"], value: "/home/user/Workspace" }]);
  assert.equal(await Deno.readTextFile(file), "root: /home/user/Workspace\n");
});

Deno.test("setConfigValues() leaves no temporary file behind and keeps the file mode", async () => {
  await using dir = await tempDir();
  const file = await dir.write("config.yml", LEGACY);
  await Deno.chmod(file, 0o600);
  await setConfigValues(file, [{ path: ["hostname"], value: "other" }]);
  assert.deepEqual([...Deno.readDirSync(dir.path)].map((entry) => entry.name), ["config.yml"]);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
});

Deno.test("setConfigValues() writes through a symlinked config and keeps the link", async () => {
  await using dir = await tempDir();
  const real = await dir.write("dotfiles/config.yml", LEGACY);
  const link = join(dir.path, "config.yml");
  await Deno.symlink(real, link);
  await setConfigValues(link, [{ path: ["hostname"], value: "other" }]);
  assert.ok((await Deno.lstat(link)).isSymlink);
  assert.ok((await Deno.readTextFile(real)).includes("hostname: other # this laptop"));
});

Deno.test("setConfigValues() refuses a file with a YAML syntax error and leaves it alone", async () => {
  await using dir = await tempDir();
  const broken = "root: /r\nrepositories: [a\n";
  const file = await dir.write("config.yml", broken);
  await assert.rejects(setConfigValues(file, [{ path: ["hostname"], value: "h" }]), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.ok(error.message.includes("YAML syntax error"));
    return true;
  });
  assert.equal(await Deno.readTextFile(file), broken);
});

Deno.test("renderNewConfig() writes a commented file that loads", async () => {
  await using dir = await tempDir();
  await dir.mkdir("Workspace/repo1");
  const text = renderNewConfig({
    hostname: "machine",
    root: join(dir.path, "Workspace"),
    repositories: ["repo1", "project1/repo1", "odd: name"],
    timezone: "Europe/Budapest",
    aws: { region: "eu-central-1", queue: "machine.fifo" },
  });
  assert.ok(text.includes("# Repositories relative to root"));
  const file = await dir.write(".gitargus/config.yml", text);
  const config = await loadConfig({ explicitPath: file, env: () => undefined, hostname: () => "unused" });
  assert.equal(config.hostname, "machine");
  assert.deepEqual(config.repositories.map((repository) => repository.name), [
    "repo1",
    "project1/repo1",
    "odd: name",
  ]);
  assert.equal(config.aws.region, "eu-central-1");
  assert.equal(config.aws.sqs.queue, "machine.fifo");
  assert.equal(config.aws.dynamodb.table, "gitargus");
  assert.deepEqual(config.notices, []);
});

Deno.test("renderNewConfig() with only a root and no repositories is valid", () => {
  const text = renderNewConfig({ root: "~/Workspace", repositories: [] });
  const { raw, locate } = parseConfigSource(text, "config.yml");
  const input = validateConfig(raw, "config.yml", locate);
  assert.deepEqual(input.repositories, []);
  assert.equal(input.hostname, undefined);
  assert.equal(input.root, "~/Workspace");
});
