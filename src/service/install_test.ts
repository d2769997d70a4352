import assert from "node:assert/strict";
import { GitargusError, UsageError } from "../errors.ts";
import {
  type CommandOutcome,
  displayCommand,
  installService,
  planService,
  type ServiceHost,
  type ServiceTarget,
  uninstallService,
} from "./install.ts";

/** Files in a map; commands recorded, answered from `replies` by their joined argv (default: success). */
class FakeHost implements ServiceHost {
  files = new Map<string, string>();
  directories: string[] = [];
  ran: string[] = [];
  writes = 0;
  constructor(readonly replies: Record<string, { code: number; stderr: string }> = {}) {}
  readFile(path: string) {
    return Promise.resolve(this.files.get(path));
  }
  writeFile(path: string, text: string) {
    this.writes++;
    this.files.set(path, text);
    return Promise.resolve();
  }
  makeDirectory(path: string) {
    this.directories.push(path);
    return Promise.resolve();
  }
  removeFile(path: string) {
    this.files.delete(path);
    return Promise.resolve();
  }
  exists(path: string) {
    return Promise.resolve(this.files.has(path));
  }
  run(argv: readonly string[]) {
    this.ran.push(argv.join(" "));
    return Promise.resolve(this.replies[argv.join(" ")] ?? { code: 0, stderr: "" });
  }
}

const linuxUser: ServiceTarget = {
  os: "linux",
  scope: "user",
  home: "/home/alice",
  uid: 1000,
  user: "alice",
  command: ["/usr/local/bin/gitargus"],
  expectedConfig: "/home/alice/.gitargus/config.yml",
};
const USER_UNIT = "/home/alice/.config/systemd/user/gitargus.service";
const TEMPLATE = "/etc/systemd/system/gitargus@.service";

async function install(host: FakeHost, target: ServiceTarget, enable = false) {
  const outcomes: CommandOutcome[] = [];
  const result = await installService(host, planService(target), {
    enable,
    uid: target.uid,
    onCommand: (outcome) => outcomes.push(outcome),
  });
  return { ...result, outcomes };
}

Deno.test("planService() puts the user unit under ~/.config, or an absolute XDG_CONFIG_HOME", () => {
  assert.equal(planService(linuxUser).file, USER_UNIT);
  assert.equal(
    planService({ ...linuxUser, xdgConfigHome: "/cfg" }).file,
    "/cfg/systemd/user/gitargus.service",
  );
  assert.equal(planService({ ...linuxUser, xdgConfigHome: "relative" }).file, USER_UNIT);
});

Deno.test("planService() runs the daemon with `run` after this program's command", () => {
  assert.match(planService(linuxUser).content, /^ExecStart=\/usr\/local\/bin\/gitargus run$/m);
});

Deno.test("installService() writes the unit and runs nothing without enable", async () => {
  const host = new FakeHost();
  const result = await install(host, linuxUser);
  assert.equal(result.change, "installed");
  assert.equal(host.files.get(USER_UNIT), planService(linuxUser).content);
  assert.deepEqual(host.ran, []);
  assert.equal(result.missingConfig, "/home/alice/.gitargus/config.yml");
});

Deno.test("installService() leaves an identical unit alone and says it is unchanged", async () => {
  const host = new FakeHost();
  host.files.set("/home/alice/.gitargus/config.yml", "root: ~/ws\n");
  await install(host, linuxUser);
  const second = await install(host, linuxUser);
  assert.equal(second.change, "unchanged");
  assert.equal(host.writes, 1);
  assert.equal(second.missingConfig, undefined);
});

Deno.test("installService() rewrites a unit whose content differs", async () => {
  const host = new FakeHost();
  host.files.set(USER_UNIT, "[Service]\nExecStart=/old/gitargus run\n");
  assert.equal((await install(host, linuxUser)).change, "updated");
  assert.equal(host.files.get(USER_UNIT), planService(linuxUser).content);
});

Deno.test("installService() with enable reloads the user manager, then enables and starts the unit", async () => {
  const host = new FakeHost();
  const result = await install(host, linuxUser, true);
  assert.deepEqual(host.ran, [
    "systemctl --user daemon-reload",
    "systemctl --user enable --now gitargus.service",
  ]);
  assert.deepEqual(result.outcomes.map((o) => o.status), ["ok", "ok"]);
});

Deno.test("installService() with enable restarts a running service when its unit changed", async () => {
  const host = new FakeHost();
  host.files.set(USER_UNIT, "old");
  await install(host, linuxUser, true);
  assert.deepEqual(host.ran, [
    "systemctl --user daemon-reload",
    "systemctl --user try-restart gitargus.service",
    "systemctl --user enable --now gitargus.service",
  ]);
});

Deno.test("installService() stops at the first failed command and names it with its stderr", async () => {
  const host = new FakeHost({
    "systemctl --user daemon-reload": { code: 1, stderr: "Failed to connect to bus: No medium found\n" },
  });
  await assert.rejects(
    () => install(host, linuxUser, true),
    (error) =>
      error instanceof GitargusError &&
      error.message === "systemctl --user daemon-reload failed: Failed to connect to bus: No medium found",
  );
  assert.deepEqual(host.ran, ["systemctl --user daemon-reload"]);
});

Deno.test("installService() enables the system template's instance of the current user, as root", async () => {
  const host = new FakeHost();
  const target = { ...linuxUser, scope: "system" as const, uid: 0 };
  await install(host, target, true);
  assert.match(host.files.get(TEMPLATE)!, /^User=%i$/m);
  assert.deepEqual(host.ran, ["systemctl daemon-reload", "systemctl enable --now gitargus@alice.service"]);
});

Deno.test("planService() shows the system commands with sudo to a user who is not root", () => {
  const plan = planService({ ...linuxUser, scope: "system" });
  assert.deepEqual(plan.start("installed").map(displayCommand), [
    "sudo systemctl daemon-reload",
    "sudo systemctl enable --now gitargus@alice.service",
  ]);
  const { user: _, ...anonymous } = linuxUser;
  assert.deepEqual(
    planService({ ...anonymous, scope: "system" }).start("installed").map(displayCommand).at(-1),
    [
      "sudo systemctl enable --now gitargus@$USER.service",
    ][0],
  );
});

Deno.test("installService() refuses the system template without root and suggests sudo", async () => {
  const host = new FakeHost();
  await assert.rejects(
    () => install(host, { ...linuxUser, scope: "system" }),
    (error) =>
      error instanceof GitargusError && error.exitCode === 1 &&
      /sudo gitargus install-service --system/.test(error.message),
  );
  assert.equal(host.writes, 0);
});

Deno.test("installService() turns a refused write into one line that suggests sudo", async () => {
  const host = new FakeHost();
  host.writeFile = () => Promise.reject(new Deno.errors.PermissionDenied("Permission denied (os error 13)"));
  await assert.rejects(
    () => install(host, { ...linuxUser, scope: "system", uid: 0 }),
    (error) =>
      error instanceof GitargusError &&
      error.message ===
        `Cannot write "${TEMPLATE}": permission denied: run \`sudo gitargus install-service --system\``,
  );
});

Deno.test("installService() will not enable an instance whose user is unknown", async () => {
  const { user: _, ...anonymous } = linuxUser;
  const host = new FakeHost();
  await assert.rejects(
    () => install(host, { ...anonymous, scope: "system", uid: 0 }, true),
    /USER is not set/,
  );
  assert.deepEqual(host.ran, []);
});

const mac: ServiceTarget = { ...linuxUser, os: "darwin", home: "/Users/alice", uid: 501 };
const PLIST = "/Users/alice/Library/LaunchAgents/dev.gitargus.daemon.plist";

Deno.test("installService() on macOS writes the agent, makes its log folder and bootstraps it", async () => {
  const host = new FakeHost();
  await install(host, mac, true);
  assert.match(host.files.get(PLIST)!, /<string>\/Users\/alice\/.gitargus\/launchd.log<\/string>/);
  assert.deepEqual(host.directories, ["/Users/alice/.gitargus"]);
  assert.deepEqual(host.ran, [`launchctl bootstrap gui/501 ${PLIST}`]);
});

Deno.test("installService() on macOS boots out the loaded copy of a changed agent first", async () => {
  const host = new FakeHost({
    "launchctl bootout gui/501/dev.gitargus.daemon": {
      code: 3,
      stderr: "Boot-out failed: 3: No such process",
    },
  });
  host.files.set(PLIST, "old");
  const { outcomes } = await install(host, mac, true);
  assert.deepEqual(host.ran, [
    "launchctl bootout gui/501/dev.gitargus.daemon",
    `launchctl bootstrap gui/501 ${PLIST}`,
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), ["ignored", "ok"]);
});

Deno.test("planService() refuses --system on macOS as a usage error", () => {
  assert.throws(() => planService({ ...mac, scope: "system" }), UsageError);
});

Deno.test("uninstallService() says absent and runs nothing when no unit is installed", async () => {
  const host = new FakeHost();
  assert.equal(await uninstallService(host, planService(linuxUser), { uid: 1000 }), "absent");
  assert.deepEqual(host.ran, []);
});

Deno.test("uninstallService() disables and stops, removes the unit, then reloads", async () => {
  const host = new FakeHost({
    "systemctl --user disable --now gitargus.service": {
      code: 5,
      stderr: "Failed to stop gitargus.service: Unit gitargus.service not loaded.\n",
    },
    "systemctl --user daemon-reload": { code: 1, stderr: "Failed to connect to bus: No medium found" },
  });
  host.files.set(USER_UNIT, "unit");
  const outcomes: CommandOutcome[] = [];
  const change = await uninstallService(host, planService(linuxUser), {
    uid: 1000,
    onCommand: (outcome) => outcomes.push(outcome),
  });
  assert.equal(change, "removed");
  assert.equal(host.files.has(USER_UNIT), false);
  assert.deepEqual(host.ran, [
    "systemctl --user disable --now gitargus.service",
    "systemctl --user daemon-reload",
  ]);
  assert.deepEqual(outcomes.map((o) => [o.status, o.detail]), [
    ["ignored", "Failed to stop gitargus.service: Unit gitargus.service not loaded."],
    ["failed", "Failed to connect to bus: No medium found"],
  ]);
});

Deno.test("uninstallService() on macOS boots the agent out and removes its plist", async () => {
  const host = new FakeHost();
  host.files.set(PLIST, "plist");
  await uninstallService(host, planService(mac), { uid: 501 });
  assert.deepEqual(host.ran, ["launchctl bootout gui/501/dev.gitargus.daemon"]);
  assert.equal(host.files.size, 0);
});

Deno.test("displayCommand() quotes words a shell would split", () => {
  assert.equal(
    displayCommand({ argv: ["launchctl", "bootstrap", "gui/501", "/Users/a b/it's.plist"], sudo: false }),
    `launchctl bootstrap gui/501 '/Users/a b/it'"'"'s.plist'`,
  );
});
