/**
 * Installs and removes the service that runs `gitargus run`: which file, with which content, and which commands
 * start or stop it. Files and commands go through `ServiceHost`, so a fake one tests the logic.
 */

import { dirname, join } from "node:path";
import { writeFileAtomic } from "../util/fs.ts";
import { shellQuote } from "../util/shell.ts";
import { firstLine, GitargusError, UsageError } from "../errors.ts";
import type { TargetOs } from "../permissions.ts";
import { pathExists } from "../util/fs.ts";
import { LAUNCH_AGENT_LABEL, renderLaunchAgent } from "./launchd.ts";
import { renderSystemTemplate, renderUserUnit, SYSTEM_TEMPLATE_NAME, USER_UNIT_NAME } from "./systemd.ts";

/** Everything the plan depends on, read from the process by the CLI (or made up by a test). */
export interface ServiceTarget {
  os: TargetOs;
  scope: "user" | "system";
  /** For the user unit and the launchd agent. */
  home?: string;
  /** Honoured when absolute, as the XDG base directory spec says. */
  xdgConfigHome?: string;
  uid: number;
  /** The account a system instance runs as: `gitargus@<user>.service`. */
  user?: string;
  /** How to start this program; the plan appends `run`. */
  command: readonly string[];
  /** Set in the unit as GITARGUS_CONFIG; only when the user chose a config path. */
  configFile?: string;
  /** The config file the daemon will read, checked at install to warn when it is missing. */
  expectedConfig?: string;
}

export interface ServiceCommand {
  argv: string[];
  /** Shown with a `sudo` in front: the system manager needs root. */
  sudo: boolean;
  /** A failure whose stderr matches means "nothing to stop", not a problem. */
  tolerate?: RegExp;
}

export interface ServicePlan {
  kind: "systemd user unit" | "systemd system template" | "launchd agent";
  file: string;
  content: string;
  /** Folders that must exist before the service starts (launchd's log folder). */
  directories: string[];
  /** Writing or removing the file needs root. */
  needsRoot: boolean;
  /** Starts the service; a changed file also restarts a running one. */
  start(change: FileChange): ServiceCommand[];
  stop: ServiceCommand[];
  /** After the file is removed. */
  reload: ServiceCommand[];
  /** Where to read the daemon's output. */
  logs: string;
  expectedConfig?: string;
}

export type FileChange = "installed" | "updated" | "unchanged";

/** Side effects of installing: the one real implementation is `DenoServiceHost`. */
export interface ServiceHost {
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  makeDirectory(path: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  run(argv: readonly string[]): Promise<{ code: number; stderr: string }>;
}

export interface CommandOutcome {
  command: ServiceCommand;
  status: "ok" | "ignored" | "failed";
  /** First line of stderr when the command did not succeed. */
  detail: string;
}

export const DOCUMENTATION = "https://github.com/gitargus/gitargus#readme";

const NOT_LOADED = /not loaded|does not exist|not found|no such (file|process)|could not find/i;

export function planService(target: ServiceTarget): ServicePlan {
  const command = [...target.command, "run"];
  const config = target.configFile === undefined ? {} : { configFile: target.configFile };
  const expected = target.expectedConfig === undefined ? {} : { expectedConfig: target.expectedConfig };
  if (target.os === "darwin") {
    if (target.scope === "system") {
      throw new UsageError("--system is for systemd; on macOS the service is a launchd agent of your user");
    }
    const home = requireHome(target);
    const file = join(home, "Library", "LaunchAgents", `${LAUNCH_AGENT_LABEL}.plist`);
    const logFile = join(home, ".gitargus", "launchd.log");
    const domain = `gui/${target.uid}`;
    const bootout = { argv: ["launchctl", "bootout", `${domain}/${LAUNCH_AGENT_LABEL}`], sudo: false };
    return {
      kind: "launchd agent",
      file,
      content: renderLaunchAgent({ command, logFile, ...config }),
      directories: [dirname(logFile)],
      needsRoot: false,
      // launchd keeps the loaded copy of a plist: a changed one is only read after a bootout.
      start: (change) => [
        ...(change === "installed" ? [] : [{ ...bootout, tolerate: /(?:)/ }]),
        { argv: ["launchctl", "bootstrap", domain, file], sudo: false },
      ],
      stop: [{ ...bootout, tolerate: NOT_LOADED }],
      reload: [],
      logs: `tail -f ${shellWord(logFile)}`,
      ...expected,
    };
  }
  const system = target.scope === "system";
  const unit = system ? `gitargus@${target.user ?? "$USER"}.service` : USER_UNIT_NAME;
  const systemctl = (...args: string[]): ServiceCommand => ({
    argv: ["systemctl", ...(system ? [] : ["--user"]), ...args],
    sudo: system && target.uid !== 0,
  });
  const options = { command, documentation: DOCUMENTATION, ...config };
  return {
    kind: system ? "systemd system template" : "systemd user unit",
    file: system
      ? join("/etc/systemd/system", SYSTEM_TEMPLATE_NAME)
      : join(userUnitDir(target), USER_UNIT_NAME),
    content: system ? renderSystemTemplate(options) : renderUserUnit(options),
    directories: [],
    needsRoot: system,
    start: (change) => [
      systemctl("daemon-reload"),
      ...(change === "updated" ? [systemctl("try-restart", unit)] : []),
      systemctl("enable", "--now", unit),
    ],
    stop: [{ ...systemctl("disable", "--now", unit), tolerate: NOT_LOADED }],
    reload: [systemctl("daemon-reload")],
    logs: `journalctl ${system ? "" : "--user "}-u ${unit.replace(/\.service$/, "")} -f`,
    // The system instance reads its own user's config, which this process may not see.
    ...(system ? {} : expected),
  };
}

function requireHome(target: ServiceTarget): string {
  if (!target.home) throw new GitargusError("HOME is not set, so the service file's folder is unknown");
  return target.home;
}

/** `$XDG_CONFIG_HOME/systemd/user`, the first folder of the user manager's search path. */
function userUnitDir(target: ServiceTarget): string {
  const config = target.xdgConfigHome?.startsWith("/")
    ? target.xdgConfigHome
    : join(requireHome(target), ".config");
  return join(config, "systemd", "user");
}

export interface InstallOptions {
  enable: boolean;
  uid: number;
  /** Called after each command with its outcome, so progress shows as it happens. */
  onCommand?: Reporter;
}

type Reporter = (outcome: CommandOutcome) => void;

export interface InstallResult {
  change: FileChange;
  /** The config file the daemon will read, when it does not exist yet. */
  missingConfig?: string;
}

/** Writes the service file unless it already holds this content; with `enable`, starts the service. */
export async function installService(
  host: ServiceHost,
  plan: ServicePlan,
  options: InstallOptions,
): Promise<InstallResult> {
  requireRoot(plan, options.uid, "install-service");
  const old = await host.readFile(plan.file);
  const change: FileChange = old === undefined ? "installed" : old === plan.content ? "unchanged" : "updated";
  for (const dir of plan.directories) await host.makeDirectory(dir);
  if (change !== "unchanged") {
    await changeFile(plan, "install-service", () => host.writeFile(plan.file, plan.content));
  }
  if (options.enable) {
    if (plan.start(change).some((command) => command.argv.some((word) => word.includes("$USER")))) {
      throw new GitargusError("Cannot tell which account the service runs as: USER is not set");
    }
    for (const command of plan.start(change)) {
      const outcome = await runCommand(host, command, options.onCommand);
      if (outcome.status === "failed") {
        throw new GitargusError(`${displayCommand(command)} failed: ${outcome.detail || "no detail"}`);
      }
    }
  }
  const missing = plan.expectedConfig !== undefined && !(await host.exists(plan.expectedConfig));
  return missing ? { change, missingConfig: plan.expectedConfig! } : { change };
}

/**
 * Stops and disables the service, removes its file and reloads the manager. A failed stop or reload is
 * reported, not fatal: with the file gone the service cannot start again, which is what was asked.
 */
export async function uninstallService(
  host: ServiceHost,
  plan: ServicePlan,
  options: Omit<InstallOptions, "enable">,
): Promise<"removed" | "absent"> {
  if (!(await host.exists(plan.file))) return "absent";
  requireRoot(plan, options.uid, "uninstall-service");
  for (const command of plan.stop) await runCommand(host, command, options.onCommand);
  await changeFile(plan, "uninstall-service", () => host.removeFile(plan.file));
  for (const command of plan.reload) await runCommand(host, command, options.onCommand);
  return "removed";
}

type Subcommand = "install-service" | "uninstall-service";

function requireRoot(plan: ServicePlan, uid: number, subcommand: Subcommand): void {
  if (plan.needsRoot && uid !== 0) {
    throw new GitargusError(`Cannot change "${plan.file}" without root${sudo(subcommand)}`);
  }
}

function sudo(subcommand: Subcommand): string {
  return `: run \`sudo gitargus ${subcommand} --system\``;
}

/** A file write or removal refused by the OS becomes the one-line error a user can act on. */
async function changeFile(plan: ServicePlan, subcommand: Subcommand, operation: () => Promise<void>) {
  try {
    await operation();
  } catch (error) {
    if (!(error instanceof Deno.errors.PermissionDenied)) throw error;
    const verb = subcommand === "install-service" ? "write" : "remove";
    const hint = plan.needsRoot ? sudo(subcommand) : "";
    throw new GitargusError(`Cannot ${verb} "${plan.file}": permission denied${hint}`, { cause: error });
  }
}

async function runCommand(host: ServiceHost, command: ServiceCommand, onCommand?: Reporter) {
  const { code, stderr } = await host.run(command.argv);
  const status = code === 0 ? "ok" : command.tolerate?.test(stderr) ? "ignored" : "failed";
  const outcome: CommandOutcome = { command, status, detail: code === 0 ? "" : firstLine(stderr) };
  onCommand?.(outcome);
  return outcome;
}

/** The command as a user would type it. */
export function displayCommand(command: ServiceCommand): string {
  return [...(command.sudo ? ["sudo"] : []), ...command.argv.map(shellWord)].join(" ");
}

/** Like `shellQuote`, but a `$VAR` in a printed command is left for the user's shell to expand. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./$-]+$/.test(word) ? word : shellQuote(word);
}

/** The real host: files written atomically (temp file, then rename), commands run with Deno.Command. */
export class DenoServiceHost implements ServiceHost {
  readFile(path: string): Promise<string | undefined> {
    return Deno.readTextFile(path).catch((error) => {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    });
  }

  async writeFile(path: string, text: string): Promise<void> {
    await writeFileAtomic(path, text, { mode: 0o644 });
  }

  async makeDirectory(path: string): Promise<void> {
    await Deno.mkdir(path, { recursive: true });
  }

  async removeFile(path: string): Promise<void> {
    await Deno.remove(path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }

  exists(path: string): Promise<boolean> {
    return pathExists(path);
  }

  async run(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
    try {
      const options = { args: argv.slice(1), stdin: "null", stdout: "null", stderr: "piped" } as const;
      const output = await new Deno.Command(argv[0]!, options).output();
      return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { code: 127, stderr: `${argv[0]}: command not found` };
      }
      throw error;
    }
  }
}
