/**
 * Whether the service install-service writes is there, and whether the service manager runs it; and whether
 * a daemon runs at all, however it was started.
 */

import { join } from "node:path";
import { firstLine } from "../errors.ts";
import { pathExists } from "../util/fs.ts";
import type { ServiceProbe } from "../doctor/checks.ts";
import type { DaemonProbe } from "../doctor/daemon_check.ts";
import { isLockHeld } from "../util/file_lock.ts";
import { readOwner } from "../daemon/instance_lock.ts";
import { LAUNCH_AGENT_LABEL } from "./launchd.ts";
import { SYSTEM_TEMPLATE_NAME, USER_UNIT_NAME } from "./systemd.ts";

/** Enough for one answer from a service manager; the doctor must not hang on one that does not answer. */
const TIMEOUT_MS = 5_000;

const env = (name: string) => Deno.env.get(name);

/** What install-service would have written, and whether the service manager runs it. */
export async function probeService(): Promise<ServiceProbe> {
  const dir = env("HOME");
  if (Deno.build.os === "darwin") {
    const plist = join(dir ?? "~", "Library", "LaunchAgents", `${LAUNCH_AGENT_LABEL}.plist`);
    if (!dir || !(await pathExists(plist))) return { kind: "absent", looked: [plist] };
    const listed = await runProgram("launchctl", ["list", LAUNCH_AGENT_LABEL]);
    return {
      kind: "launchd",
      label: LAUNCH_AGENT_LABEL,
      loaded: listed.code === null ? null : listed.code === 0,
      ...listed.why,
    };
  }
  if (Deno.build.os !== "linux") return { kind: "none", os: Deno.build.os };
  // As the XDG spec says (and install-service does), a relative XDG_CONFIG_HOME is ignored.
  const xdg = env("XDG_CONFIG_HOME");
  const configHome = xdg?.startsWith("/") ? xdg : dir && join(dir, ".config");
  const userUnit = configHome ? join(configHome, "systemd", "user", USER_UNIT_NAME) : undefined;
  const systemUnit = join("/etc/systemd/system", SYSTEM_TEMPLATE_NAME);
  if (userUnit && await pathExists(userUnit)) return await systemdState(USER_UNIT_NAME, false);
  if (await pathExists(systemUnit)) {
    return await systemdState(SYSTEM_TEMPLATE_NAME.replace("@", `@${env("USER") ?? ""}`), true);
  }
  return { kind: "absent", looked: [...(userUnit ? [userUnit] : []), systemUnit] };
}

/**
 * The instance lock is the proof: the kernel holds it for a living daemon only. The pid it names is asked
 * with `kill -0` as well, so a holder in another pid namespace (a container) is told apart.
 */
export async function probeDaemon(lockFile: string): Promise<DaemonProbe> {
  if (!(await isLockHeld(lockFile))) return { held: false, lockFile };
  const owner = await readOwner(lockFile);
  if (!owner) return { held: true, lockFile };
  const asked = await runProgram("kill", ["-0", String(owner.pid)]);
  const { pid, startedAt, command, terminal } = owner;
  return {
    held: true,
    lockFile,
    owner: { pid, startedAt, command, terminal },
    pidAlive: asked.code === null ? null : asked.code === 0,
  };
}

async function systemdState(unit: string, system: boolean): Promise<ServiceProbe> {
  const result = await runProgram("systemctl", [...(system ? [] : ["--user"]), "is-active", unit]);
  // Without a user bus (a container, an ssh session without lingering) it prints nothing on stdout.
  return {
    kind: "systemd",
    unit,
    system,
    state: result.code === null ? null : result.stdout || null,
    ...result.why,
  };
}

async function runProgram(
  program: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; why: { error?: string } }> {
  try {
    const output = await new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const error = firstLine(decode(output.stderr));
    return { code: output.code, stdout: decode(output.stdout).trim(), why: error ? { error } : {} };
  } catch (error) {
    return { code: null, stdout: "", why: { error: `cannot run ${program}: ${(error as Error).message}` } };
  }
}
