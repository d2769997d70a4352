import { configPathFrom } from "../../config/paths.ts";
import { GitargusError } from "../../errors.ts";
import { selfCommand } from "../../self.ts";
import {
  type CommandOutcome,
  DenoServiceHost,
  displayCommand,
  installService,
  planService,
  type ServicePlan,
  type ServiceTarget,
  uninstallService,
} from "../../service/install.ts";
import { env, type GlobalOptions } from "../context.ts";
import * as out from "../output.ts";

interface ScopeOptions {
  user?: true;
  system?: true;
  dryRun?: true;
}

export async function installServiceCommand(
  globals: GlobalOptions,
  options: ScopeOptions & { enable?: true },
): Promise<void> {
  const plan = planService(serviceTarget(globals, options));
  const enable = options.enable ?? false;
  if (options.dryRun) {
    out.line(`Would write ${plan.file}:`);
    out.line();
    out.raw(plan.content);
    printCommands(enable ? "Would then run:" : "To start it now:", plan);
    return;
  }
  const result = await installService(new DenoServiceHost(), plan, {
    enable,
    uid: uid(),
    onCommand: printOutcome,
  });
  if (result.missingConfig !== undefined) {
    out.error(
      `No config at "${result.missingConfig}" yet: the service fails until \`gitargus init\` writes one`,
    );
  }
  out.line(`${plan.kind} ${result.change}: ${plan.file}`);
  if (!enable) printCommands("To start it now:", plan, result.change);
  out.line(`Logs: ${plan.logs}`);
}

export async function uninstallServiceCommand(globals: GlobalOptions, options: ScopeOptions): Promise<void> {
  const plan = planService(serviceTarget(globals, options));
  const host = new DenoServiceHost();
  if (options.dryRun) {
    if (!(await host.exists(plan.file))) {
      out.line(`Not installed: no ${plan.file}`);
      return;
    }
    for (const command of plan.stop) out.line(`Would run: ${displayCommand(command)}`);
    out.line(`Would remove ${plan.file}`);
    for (const command of plan.reload) out.line(`Would run: ${displayCommand(command)}`);
    return;
  }
  const change = await uninstallService(host, plan, { uid: uid(), onCommand: printOutcome });
  out.line(change === "absent" ? `Not installed: no ${plan.file}` : `${plan.kind} removed: ${plan.file}`);
}

function printCommands(
  title: string,
  plan: ServicePlan,
  change: "installed" | "updated" | "unchanged" = "installed",
) {
  out.line(title);
  for (const command of plan.start(change)) out.line(`  ${displayCommand(command)}`);
}

function printOutcome(outcome: CommandOutcome): void {
  const command = displayCommand(outcome.command);
  if (outcome.status === "ok") out.line(`Ran: ${command}`);
  else if (outcome.status === "ignored") out.line(`Ran: ${command} (nothing to do: ${outcome.detail})`);
  else out.error(`Warning: ${command} failed: ${outcome.detail || "no detail"}`);
}

function serviceTarget(globals: GlobalOptions, options: ScopeOptions): ServiceTarget {
  const os = Deno.build.os;
  if (os !== "linux" && os !== "darwin") {
    throw new GitargusError(
      `Cannot install a service on ${os}: only systemd (Linux) and launchd (macOS) are supported`,
    );
  }
  const home = env("HOME");
  const xdgConfigHome = env("XDG_CONFIG_HOME");
  const user = accountName();
  // Only a config the user chose goes into the unit; the default one is found from HOME by the daemon itself.
  const chosen = globals.config || env("GITARGUS_CONFIG");
  const configFile = chosen ? configPathFrom({ ...explicit(globals), env }) : undefined;
  const expectedConfig = configFile ?? (home ? configPathFrom({ env }) : undefined);
  return {
    os,
    scope: options.system ? "system" : "user",
    uid: uid(),
    command: selfCommand(),
    ...(home ? { home } : {}),
    ...(xdgConfigHome ? { xdgConfigHome } : {}),
    ...(user ? { user } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    ...(expectedConfig !== undefined ? { expectedConfig } : {}),
  };
}

function explicit(globals: GlobalOptions): { explicit?: string } {
  return globals.config ? { explicit: globals.config } : {};
}

function uid(): number {
  return Deno.uid() ?? -1;
}

/** Under `sudo`, the instance is the invoking user's, not root's: SUDO_USER names them when it may be read. */
function accountName(): string | undefined {
  const sudoUser = Deno.permissions.querySync({ name: "env", variable: "SUDO_USER" }).state === "granted"
    ? env("SUDO_USER")
    : undefined;
  return sudoUser || env("USER") || env("LOGNAME") || undefined;
}
