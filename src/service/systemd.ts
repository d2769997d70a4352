/**
 * The systemd units that run the daemon: a user unit (`~/.config/systemd/user/gitargus.service`) and the system
 * template (`/etc/systemd/system/gitargus@.service`, one instance per account). Pure text; nothing is written here.
 *
 * No AWS setting is copied into a unit: the daemon reads its credentials from `~/.aws` (the profile is named in
 * the config), so a unit file never holds a secret.
 */

export const USER_UNIT_NAME = "gitargus.service";
export const SYSTEM_TEMPLATE_NAME = "gitargus@.service";

/** The exit code of a config or usage error (src/errors.ts): the service does not restart after it. */
export const CONFIG_ERROR_EXIT = 2;
export const START_LIMIT_INTERVAL_SEC = 300;
export const START_LIMIT_BURST = 5;

export interface UnitOptions {
  /** The daemon's argv: the program's absolute path first. */
  command: readonly string[];
  /** A URI for `Documentation=` (shown by `systemctl status`). */
  documentation: string;
  /** Absolute path for `GITARGUS_CONFIG`, only when the config is not at its default place. */
  configFile?: string;
}

// Words made of these characters mean the same to systemd quoted or not; anything else is quoted.
const PLAIN_WORD = /^[A-Za-z0-9_@%$+=:,./*-]+$/;

/**
 * One word of `ExecStart=`: specifiers (`%`) and variables (`$`) are doubled so they stay literal, and a word
 * holding anything else than plain characters is double-quoted with C-style escapes.
 */
export function systemdQuote(word: string): string {
  const literal = word.replaceAll("%", "%%").replaceAll("$", () => "$$");
  return PLAIN_WORD.test(word) ? literal : `"${cEscape(literal)}"`;
}

/**
 * One `Environment=` assignment. systemd expands specifiers there but not variables, so only `%` is doubled;
 * the whole assignment is quoted so a value may hold spaces and `=`.
 */
export function systemdEnvironment(name: string, value: string): string {
  const assignment = `${name}=${value}`.replaceAll("%", "%%");
  return PLAIN_WORD.test(assignment) ? assignment : `"${cEscape(assignment)}"`;
}

function cEscape(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\\"\x00-\x1f\x7f]/g, (char) => {
    if (char === "\\" || char === '"') return `\\${char}`;
    if (char === "\n") return "\\n";
    if (char === "\t") return "\\t";
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/** `~/.config/systemd/user/gitargus.service`: started by the user's own manager, no root needed. */
export function renderUserUnit(options: UnitOptions): string {
  return render({
    header: [
      "# GitArgus daemon as a systemd user unit. Written by `gitargus install-service`;",
      "# `gitargus uninstall-service` removes it. Logs: journalctl --user -u gitargus -f",
    ],
    unit: ["Description=GitArgus daemon: keeps git workspaces in step across machines"],
    service: [],
    wantedBy: "default.target",
  }, options);
}

/**
 * `/etc/systemd/system/gitargus@.service`: `systemctl enable --now gitargus@alice.service` runs the daemon as
 * alice. systemd sets HOME, USER and LOGNAME from the user database for a service with `User=` (since v236),
 * so `~/.gitargus` and `~/.aws` are that account's, wherever its home is.
 */
export function renderSystemTemplate(options: UnitOptions): string {
  return render({
    header: [
      "# GitArgus daemon as a systemd system template: gitargus@<user>.service runs it as <user>.",
      "# Written by `gitargus install-service --system`; `gitargus uninstall-service --system` removes it.",
      "# HOME comes from the user database (systemd sets it for User=), so ~/.gitargus and ~/.aws are the user's.",
    ],
    unit: [
      "Description=GitArgus daemon for %i: keeps git workspaces in step across machines",
      "Wants=network-online.target",
      "After=network-online.target",
    ],
    service: ["User=%i"],
    wantedBy: "multi-user.target",
  }, options);
}

interface UnitShape {
  header: string[];
  unit: string[];
  service: string[];
  wantedBy: string;
}

function render(shape: UnitShape, options: UnitOptions): string {
  const [description, ...dependencies] = shape.unit;
  const environment = options.configFile === undefined
    ? []
    : [`Environment=${systemdEnvironment("GITARGUS_CONFIG", options.configFile)}`];
  return [
    ...shape.header,
    "",
    "[Unit]",
    description,
    `Documentation=${options.documentation}`,
    ...dependencies,
    // A daemon that keeps failing at start (5 starts within 5 minutes) is left stopped, not retried forever.
    `StartLimitIntervalSec=${START_LIMIT_INTERVAL_SEC}`,
    `StartLimitBurst=${START_LIMIT_BURST}`,
    "",
    "[Service]",
    "Type=simple",
    ...shape.service,
    `ExecStart=${options.command.map(systemdQuote).join(" ")}`,
    ...environment,
    "Restart=always",
    // Exit code 2 is a config or usage error: starting again cannot help until the user edits the config.
    `RestartPreventExitStatus=${CONFIG_ERROR_EXIT}`,
    "RestartSec=5",
    "KillSignal=SIGTERM",
    "TimeoutStopSec=30",
    "",
    "[Install]",
    `WantedBy=${shape.wantedBy}`,
    "",
  ].join("\n");
}
