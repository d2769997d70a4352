import assert from "node:assert/strict";
import type { AutoPull, Config, RepositoryConfig } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../log/logger.ts";
import { ConfigReloader, diffConfigs, type ReloadTarget } from "./config_reload.ts";

function repo(name: string, autoPull: AutoPull = true): RepositoryConfig {
  return { name, path: `/home/u/src/${name}`, autoPull };
}

function config(repositories: RepositoryConfig[], extra: Partial<Config> = {}): Config {
  return {
    file: "/home/u/.gitargus/config.yml",
    hostname: "laptop",
    root: "/home/u/src",
    repositories,
    autoPull: true,
    aws: { dynamodb: { table: "gitargus" }, sqs: {}, sns: { topic: {} } },
    daemon: { reconcileMinutes: 15, heartbeatSeconds: 60, fetchTimeoutSeconds: 30, parallelism: 4 },
    notices: [],
    ...extra,
  };
}

interface Line {
  level: string;
  text: string;
}

function recordingLog(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (template: string, values: Record<string, unknown> = {}) =>
    lines.push({ level, text: template.replace(/\{(\w+)\}/g, (_, key) => String(values[key])) });
  const log = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { log: log as unknown as Logger, lines };
}

class RecordingTarget implements ReloadTarget {
  readonly calls: string[] = [];
  addRepositories(repositories: RepositoryConfig[]): Promise<void> {
    this.calls.push(`add ${repositories.map((r) => r.name).join(",")}`);
    return Promise.resolve();
  }
  removeRepositories(names: string[]): Promise<void> {
    this.calls.push(`remove ${names.join(",")}`);
    return Promise.resolve();
  }
  updateRepositories(repositories: RepositoryConfig[]): void {
    this.calls.push(`update ${repositories.map((r) => `${r.name}:${r.autoPull}`).join(",")}`);
  }
}

function reloader(start: Config, files: Array<Config | Error | Promise<Config>>) {
  const { log, lines } = recordingLog();
  const target = new RecordingTarget();
  const hooked: string[] = [];
  let loads = 0;
  const subject = new ConfigReloader({
    config: start,
    load: () => {
      const next = files[Math.min(loads++, files.length - 1)]!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    target,
    installHooks: (repositories) => {
      hooked.push(...repositories.map((r) => r.name));
      return Promise.resolve();
    },
    log,
  });
  return { subject, target, hooked, lines, loads: () => loads };
}

Deno.test("diffConfigs() finds added, removed and changed repositories", () => {
  const diff = diffConfigs(
    config([repo("a"), repo("b"), repo("c")]),
    config([repo("a"), repo("c", false), repo("d")]),
  );
  assert.deepEqual(diff.added.map((r) => r.name), ["d"]);
  assert.deepEqual(diff.removed, ["b"]);
  assert.deepEqual(diff.changed, [repo("c", false)]);
  assert.deepEqual(diff.needsRestart, []);
});

Deno.test("diffConfigs() of an unchanged config changes nothing", () => {
  const diff = diffConfigs(config([repo("a")]), config([repo("a")]));
  assert.deepEqual(diff, { added: [], removed: [], changed: [], needsRestart: [] });
});

Deno.test("diffConfigs() compares autoPull policies by value, lists and words included", () => {
  const diff = diffConfigs(
    config([repo("a", ["main", "release/*"]), repo("b", ["main"]), repo("c", true), repo("d", "others")]),
    config([
      repo("a", ["main", "release/*"]),
      repo("b", ["main", "dev"]),
      repo("c", "current"),
      repo("d", "others"),
    ]),
  );
  assert.deepEqual(diff.changed.map((r) => [r.name, r.autoPull]), [["b", ["main", "dev"]], ["c", "current"]]);
});

Deno.test("diffConfigs() names the settings that need a restart", () => {
  const next = config([repo("a")], {
    hostname: "desktop",
    root: "/elsewhere",
    aws: { region: "eu-west-1", dynamodb: { table: "gitargus" }, sqs: {}, sns: { topic: {} } },
    daemon: { reconcileMinutes: 5, heartbeatSeconds: 60, fetchTimeoutSeconds: 30, parallelism: 4 },
    timezone: "Europe/Budapest",
  });
  assert.deepEqual(diffConfigs(config([repo("a")]), next).needsRestart, [
    "hostname",
    "root",
    "aws",
    "daemon",
  ]);
});

Deno.test("a reload removes, updates, then hooks and adds repositories", async () => {
  const r = reloader(config([repo("a"), repo("b")]), [config([repo("b", false), repo("c")])]);
  await r.subject.reload();
  assert.deepEqual(r.target.calls, ["remove a", "update b:false", "add c"]);
  assert.deepEqual(r.hooked, ["c"]);
  assert.deepEqual(r.subject.config.repositories.map((x) => x.name), ["b", "c"]);
});

Deno.test("an invalid edit is logged once and keeps the config in force; the next valid edit applies", async () => {
  const broken = new ConfigError(
    "/home/u/.gitargus/config.yml",
    "must be a boolean",
    "repositories[1].autoPull",
    7,
  );
  const r = reloader(config([repo("a")]), [broken, broken, config([repo("a"), repo("b")])]);
  await r.subject.reload();
  await r.subject.reload();
  const warnings = r.lines.filter((l) => l.level === "warn");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.text, /at "repositories\[1\]\.autoPull" \(line 7\)/);
  assert.deepEqual(r.target.calls, []);
  assert.deepEqual(r.subject.config.repositories.map((x) => x.name), ["a"]);
  await r.subject.reload();
  assert.deepEqual(r.target.calls, ["add b"]);
});

Deno.test("reloads asked for while one runs are done once after it, in order", async () => {
  const slow = Promise.withResolvers<Config>();
  const r = reloader(config([repo("a")]), [slow.promise, config([repo("b")])]);
  const first = r.subject.reload();
  for (let i = 0; i < 10 && r.loads() === 0; i++) await Promise.resolve();
  assert.equal(r.loads(), 1, "the first reload is loading");
  const second = r.subject.reload();
  const third = r.subject.reload();
  slow.resolve(config([repo("a"), repo("b")]));
  await Promise.all([first, second, third]);
  assert.equal(r.loads(), 2);
  assert.deepEqual(r.target.calls, ["add b", "remove a"]);
});

Deno.test("reloads asked for at once load the file once", async () => {
  const r = reloader(config([repo("a")]), [config([repo("b")])]);
  await Promise.all([r.subject.reload(), r.subject.reload()]);
  assert.equal(r.loads(), 1);
});

Deno.test("a changed root is not applied: the repository list waits for the restart", async () => {
  const r = reloader(config([repo("a")]), [config([repo("b")], { root: "/elsewhere" })]);
  await r.subject.reload();
  assert.deepEqual(r.target.calls, []);
  assert.ok(r.lines.some((l) => l.level === "warn" && /root changed: restart the daemon/.test(l.text)));
  assert.equal(r.subject.config.root, "/home/u/src");
});

Deno.test("a hostname change is reported, and the repositories still apply under the running hostname", async () => {
  const r = reloader(config([repo("a")]), [config([repo("a"), repo("b")], { hostname: "desktop" })]);
  await r.subject.reload();
  assert.deepEqual(r.target.calls, ["add b"]);
  assert.equal(r.subject.config.hostname, "laptop");
  assert.ok(r.lines.some((l) => /hostname changed: restart the daemon to apply it/.test(l.text)));
});

Deno.test("a reload after close does nothing", async () => {
  const r = reloader(config([repo("a")]), [config([repo("b")])]);
  await r.subject.close();
  await r.subject.reload();
  assert.equal(r.loads(), 0);
});
