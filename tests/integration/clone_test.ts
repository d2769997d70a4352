/**
 * `gitargus clone` through the real CLI on the emulators: a repository only machine a has (at a nested
 * path) is shown missing on b and cloned there from the URL a recorded; refusals of every kind; recorded
 * URLs keep no credentials.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { type Fleet, fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { awsClients } from "../helpers/emulators.ts";
import { runGit } from "../helpers/git_fixture.ts";
import { hostRecord, repoStatus } from "../helpers/records.ts";

const EXTRA = "tools/cli";

/** An origin and a's clone of a repository b has never had; a records it with `run --once`. */
async function onlyOnA(f: Fleet): Promise<string> {
  const a = f.machine("a");
  const origin = join(f.ws.root, "origins", `${EXTRA}.git`);
  await Deno.mkdir(origin, { recursive: true });
  await runGit(["init", "--quiet", "--bare", "--initial-branch=main", origin], f.ws.root, a.env);
  await runGit(["clone", "--quiet", origin, a.repoPath(EXTRA)], f.ws.root, a.env);
  await a.commitFile(EXTRA, "main.go", "package main\n", "first");
  await a.push(EXTRA, "-u", "origin", "main");
  await f.ok("a", ["add", a.repoPath(EXTRA)]);
  await f.ok("a", ["run", "--once", "--no-hooks"]);
  return origin;
}

async function twoMachines(): Promise<Fleet> {
  return await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
}

Deno.test("clone: what a has and b lacks shows as missing on b, and is cloned to the same nested path", async () => {
  await using f = await twoMachines();
  const origin = await onlyOnA(f);
  const b = f.machine("b");
  const configFile = join(b.home, ".gitargus", "config.yml");
  await Deno.writeTextFile(configFile, `# b's own notes, kept\n${await Deno.readTextFile(configFile)}`);

  const table = await f.ok("b", ["status"]);
  assert.match(table.stdout, /missing here: tools\/cli \(from a\) — gitargus clone tools\/cli/);
  const json = JSON.parse((await f.ok("b", ["status", "--json"])).stdout);
  assert.deepEqual(json.missingHere, [{ name: EXTRA, remoteUrl: origin, hosts: ["a"] }]);

  const asked = await f.cli("b", ["clone", EXTRA]);
  assert.equal(asked.code, 2, "no terminal and no --yes");
  assert.equal(asked.stderr.trim().split("\n").length, 1, asked.stderr);

  const cloned = await f.ok("b", ["clone", "cli", "--yes"]);
  assert.match(cloned.stdout, new RegExp(`git clone -- ${origin} ${b.repoPath(EXTRA)}`));
  assert.match(
    cloned.stdout,
    /Cloned tools\/cli from a into .*added to the config; pre-push hook: installed/,
  );
  assert.equal(await b.head(EXTRA), await f.machine("a").head(EXTRA));
  const config = await Deno.readTextFile(configFile);
  assert.match(config, /^# b's own notes, kept/);
  assert.match(config, /- tools\/cli/);
  assert.match(await Deno.readTextFile(join(b.repoPath(EXTRA), ".git", "hooks", "pre-push")), /gitargus/);
  assert.deepEqual(JSON.parse((await f.ok("b", ["status", "--json"])).stdout).missingHere, []);

  const again = await f.cli("b", ["clone", EXTRA, "--yes"]);
  assert.equal(again.code, 1);
  assert.match(again.stdout, /already exists \(gitargus never clones into an existing folder\)/);
});

Deno.test("clone --missing clones every missing one; an empty folder in the way is never cloned into", async () => {
  await using f = await twoMachines();
  await onlyOnA(f);
  const b = f.machine("b");
  await Deno.mkdir(b.repoPath(EXTRA), { recursive: true });
  const nothing = await f.cli("b", ["clone", EXTRA, "--yes"]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stdout, /already exists/);
  assert.deepEqual([...Deno.readDirSync(b.repoPath(EXTRA))], [], "the folder is left as it was");
  await Deno.remove(b.repoPath(EXTRA));
  const all = await f.ok("b", ["clone", "--missing", "--yes"]);
  assert.match(all.stdout, /Cloned tools\/cli/);
  const none = await f.ok("b", ["clone", "--missing", "--yes"]);
  assert.match(none.stdout, /Nothing to clone/);
});

Deno.test("clone refuses planted names and URLs, each in one line, and clones the rest", async () => {
  await using f = await twoMachines();
  await onlyOnA(f);
  using clients = awsClients(f.emulators);
  const plant = async (name: string, remoteUrl: string) => {
    const data = { ...repoStatus(name), remoteUrl, updatedAt: new Date().toISOString() };
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: "gitargus",
        Item: { hostname: { S: "evil" }, key: { S: `REPO#${name}` }, data: { S: JSON.stringify(data) } },
      }),
    );
  };
  // Listed as a machine: readers find hosts by their host record.
  await clients.dynamodb.send(
    new PutItemCommand({
      TableName: "gitargus",
      Item: {
        hostname: { S: "evil" },
        key: { S: "HOST" },
        data: { S: JSON.stringify(hostRecord("evil", { heartbeatAt: new Date().toISOString() })) },
      },
    }),
  );
  const outside = join(f.ws.root, "escaped");
  await plant("../escaped", "/srv/x.git");
  await plant("cmd", "ext::whoami");
  await plant("plain", "git://example.invalid/plain.git");
  await plant("token", "https://user:secret@example.invalid/token.git");
  await plant("rel", "../sibling.git");
  const result = await f.cli("b", ["clone", "--missing", "--yes"]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const lines = result.stdout.split("\n");
  for (
    const [name, why] of [["cmd", /remote helper/], ["plain", /git:\/\//], ["token", /credentials/], [
      "rel",
      /relative/,
    ]] as const
  ) {
    assert.ok(
      lines.some((l) => l.startsWith(`${name}: not cloned:`) && why.test(l)),
      `${name}:\n${result.stdout}`,
    );
  }
  assert.match(result.stdout, /Cloned tools\/cli/);
  assert.equal(await Deno.stat(outside).then(() => true, () => false), false, "nothing outside the root");
  for (const name of ["cmd", "plain", "token", "rel"]) {
    assert.equal(await Deno.stat(f.machine("b").repoPath(name)).then(() => true, () => false), false, name);
  }
  const unknown = await f.cli("b", ["clone", "nope", "--yes"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stdout, /no other machine recorded a repository named "nope"; known: /);
});

Deno.test("clone: a recorded URL keeps no credentials", async () => {
  await using f = await twoMachines();
  const a = f.machine("a");
  await a.git("repo1", "remote", "set-url", "origin", "https://user:s3cret-token@example.invalid/repo1.git");
  await f.cli("a", ["run", "--once", "--no-hooks"]);
  const status = await f.ok("b", ["status", "--json"]);
  assert.equal(
    repoOf(JSON.parse(status.stdout), "a", "repo1")?.remoteUrl,
    "https://example.invalid/repo1.git",
  );
  assert.doesNotMatch(status.stdout, /s3cret-token/);
  const table = await statusJson(f, "a");
  assert.doesNotMatch(JSON.stringify(table), /s3cret-token/);
});
