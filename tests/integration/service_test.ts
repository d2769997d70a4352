/**
 * `install-service` and `uninstall-service` through the real CLI, with a temp HOME: the real HOME and /etc are
 * never touched (`--system` runs with `--dry-run` only). Each unit is checked by `systemd-analyze verify` where
 * it can run.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../helpers/cli.ts";
import { permissionFlags } from "../../src/permissions.ts";
import { selfCommand } from "../../src/self.ts";
import { systemdQuote } from "../../src/service/systemd.ts";

interface TempDir extends AsyncDisposable {
  path: string;
}

async function tempDir(): Promise<TempDir> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-service-" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function cli(home: string, args: string[], env: Record<string, string> = {}) {
  const result = await runCli(args, { env: { HOME: home, ...env } });
  assert.equal(
    result.code,
    0,
    `gitargus ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
  );
  return result;
}

/** The unit text a dry run prints between "Would write <file>:" and the commands. */
function printedUnit(stdout: string): { file: string; content: string } {
  const match = stdout.match(/^Would write (.+):\n\n([\s\S]*?)^(To start it now|Would then run):$/m);
  assert.ok(match, `no unit in:\n${stdout}`);
  return { file: match[1]!, content: match[2]! };
}

async function listTree(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    found.push(entry.name);
    if (entry.isDirectory) {
      found.push(...(await listTree(join(dir, entry.name))).map((p) => `${entry.name}/${p}`));
    }
  }
  return found.sort();
}

const EXEC_START = `ExecStart=${[...selfCommand(), "run"].map(systemdQuote).join(" ")}`;

Deno.test("install-service --dry-run prints the user unit and its commands, and writes nothing", async () => {
  await using home = await tempDir();
  const { stdout } = await cli(home.path, ["install-service", "--dry-run"]);
  const unit = printedUnit(stdout);
  assert.equal(unit.file, join(home.path, ".config/systemd/user/gitargus.service"));
  assert.ok(unit.content.split("\n").includes(EXEC_START), unit.content);
  assert.match(
    stdout,
    /^ {2}systemctl --user daemon-reload\n {2}systemctl --user enable --now gitargus.service$/m,
  );
  assert.deepEqual(await listTree(home.path), []);
  await verifyUnit(unit.content, "gitargus.service", "user");
});

Deno.test("install-service writes the user unit once, then says unchanged; uninstall-service removes it", async () => {
  await using home = await tempDir();
  const file = join(home.path, ".config/systemd/user/gitargus.service");
  const first = await cli(home.path, ["install-service"]);
  assert.match(first.stdout, new RegExp(`^systemd user unit installed: ${file}$`, "m"));
  assert.match(first.stdout, /^To start it now:\n {2}systemctl --user daemon-reload\n/m);
  // No config in the temp HOME yet: said on stderr, not fatal.
  assert.match(first.stderr, /No config at ".*config.yml" yet/);

  const content = await Deno.readTextFile(file);
  const lines = content.split("\n");
  assert.ok(lines.includes(EXEC_START), content);
  // From source, the unit runs main.ts with the one permission list.
  const execStart = lines.find((line) => line.startsWith("ExecStart="))!;
  assert.ok(
    execStart.endsWith(`${systemdQuote(fileURLToPath(new URL("../../main.ts", import.meta.url)))} run`),
    execStart,
  );
  for (const flag of permissionFlags()) assert.ok(execStart.includes(systemdQuote(flag)), flag);
  for (
    const line of [
      "Restart=always",
      "RestartSec=5",
      "RestartPreventExitStatus=2",
      "StartLimitIntervalSec=300",
      "StartLimitBurst=5",
      "WantedBy=default.target",
      "TimeoutStopSec=30",
    ]
  ) {
    assert.ok(lines.includes(line), line);
  }
  assert.ok(!lines.some((line) => line.startsWith("Environment=")), "no GITARGUS_CONFIG without --config");
  await verifyUnit(content, "gitargus.service", "user");

  const second = await cli(home.path, ["install-service"]);
  assert.match(second.stdout, new RegExp(`^systemd user unit unchanged: ${file}$`, "m"));
  assert.equal(await Deno.readTextFile(file), content);

  const removed = await cli(home.path, ["uninstall-service"]);
  assert.match(removed.stdout, new RegExp(`^systemd user unit removed: ${file}$`, "m"));
  await assert.rejects(() => Deno.lstat(file), Deno.errors.NotFound);

  const again = await cli(home.path, ["uninstall-service"]);
  assert.match(again.stdout, /^Not installed: no .*gitargus.service$/m);
});

Deno.test("install-service honours XDG_CONFIG_HOME and puts a chosen config in the unit, quoted", async () => {
  await using home = await tempDir();
  const xdg = join(home.path, "xdg config");
  const config = join(home.path, "50% $dir", "my config.yml");
  const { stdout } = await cli(home.path, ["--config", config, "install-service", "--dry-run"], {
    XDG_CONFIG_HOME: xdg,
  });
  const unit = printedUnit(stdout);
  assert.equal(unit.file, join(xdg, "systemd/user/gitargus.service"));
  const environment = `Environment="GITARGUS_CONFIG=${config.replaceAll("%", "%%")}"`;
  assert.ok(unit.content.split("\n").includes(environment), unit.content);
  await verifyUnit(unit.content, "gitargus.service", "user");
});

Deno.test("install-service --system --dry-run prints the template with User=%i and writes nothing", async () => {
  await using home = await tempDir();
  const template = "/etc/systemd/system/gitargus@.service";
  const before = await Deno.readTextFile(template).catch(() => null);
  const { stdout } = await cli(home.path, ["install-service", "--system", "--dry-run"], { USER: "alice" });
  const unit = printedUnit(stdout);
  assert.equal(unit.file, template);
  const lines = unit.content.split("\n");
  for (const line of ["User=%i", "WantedBy=multi-user.target", "After=network-online.target", EXEC_START]) {
    assert.ok(lines.includes(line), line);
  }
  assert.match(stdout, /systemctl enable --now gitargus@alice.service$/m);
  assert.equal(await Deno.readTextFile(template).catch(() => null), before);
  assert.deepEqual(await listTree(home.path), []);
  // An instance of an account every system has, so `User=%i` resolves.
  await verifyUnit(unit.content, "gitargus@root.service", "system");
});

Deno.test("install-service refuses --user together with --system", async () => {
  await using home = await tempDir();
  const result = await runCli(["install-service", "--user", "--system"], { env: { HOME: home.path } });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot be used with/);
});

// Lines systemd-analyze may print that say nothing about the unit: targets it cannot see in a sandbox.
const ACCEPTABLE = /\.target|not-found|Unit .* not found/;

let analyzer: Promise<string | undefined> | undefined;

/**
 * Why `systemd-analyze verify` cannot check units here, or undefined when it can: it must be installed and
 * accept a minimal valid unit (some containers lack what its manager needs).
 */
function analyzerProblem(): Promise<string | undefined> {
  analyzer ??= (async () => {
    await using dir = await tempDir();
    const probe = join(dir.path, "gitargus-probe.service");
    await Deno.writeTextFile(probe, `[Service]\nExecStart=${systemdQuote(Deno.execPath())} --version\n`);
    const result = await analyze(["verify", probe], dir.path).catch((error) => error as Error);
    if (result instanceof Deno.errors.NotFound) return "systemd-analyze is not installed";
    if (result instanceof Error) throw result;
    return result.code === 0 ? undefined : `systemd-analyze cannot run here: ${result.output.trim()}`;
  })();
  return analyzer;
}

async function analyze(args: string[], home: string): Promise<{ code: number; output: string }> {
  const runtime = join(home, "runtime");
  await Deno.mkdir(runtime, { recursive: true, mode: 0o700 });
  const output = await new Deno.Command("systemd-analyze", {
    args,
    // Warnings are what `verify` reports about a unit (unknown keys, bad quoting), so they are kept.
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: home,
      XDG_RUNTIME_DIR: runtime,
      SYSTEMD_LOG_LEVEL: "warning",
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, output: decoder.decode(output.stdout) + decoder.decode(output.stderr) };
}

async function verifyUnit(content: string, name: string, scope: "user" | "system"): Promise<void> {
  const problem = await analyzerProblem();
  if (problem) {
    console.log(`Skipped systemd-analyze verify of ${name}: ${problem}`);
    return;
  }
  await using dir = await tempDir();
  const file = join(dir.path, name);
  await Deno.writeTextFile(file, content);
  const { code, output } = await analyze([...(scope === "user" ? ["--user"] : []), "verify", file], dir.path);
  const complaints = output.split("\n").filter((line) => line.includes("gitargus") && !ACCEPTABLE.test(line));
  assert.ok(
    code === 0 && complaints.length === 0,
    `systemd-analyze verify ${name} (exit ${code}):\n${output}`,
  );
}
