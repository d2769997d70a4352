/**
 * The launchd agent that runs the daemon on macOS: `~/Library/LaunchAgents/dev.gitargus.daemon.plist`, loaded
 * in the user's GUI session. Pure text; nothing is written here. As with the systemd units, no AWS setting is
 * copied into it: credentials come from `~/.aws`.
 */

export const LAUNCH_AGENT_LABEL = "dev.gitargus.daemon";

export interface LaunchAgentOptions {
  /** The daemon's argv: the program's absolute path first. */
  command: readonly string[];
  /** Where launchd sends the daemon's stdout and stderr; its folder must exist before the agent starts. */
  logFile: string;
  /** Absolute path for `GITARGUS_CONFIG`, only when the config is not at its default place. */
  configFile?: string;
}

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function xmlEscape(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(text)) {
    throw new Error(`Cannot put ${JSON.stringify(text)} in a property list: XML has no control characters`);
  }
  return text.replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

export function renderLaunchAgent(options: LaunchAgentOptions): string {
  const string = (value: string) => `<string>${xmlEscape(value)}</string>`;
  const environment = options.configFile === undefined ? [] : [
    "  <key>EnvironmentVariables</key>",
    "  <dict>",
    "    <key>GITARGUS_CONFIG</key>",
    `    ${string(options.configFile)}`,
    "  </dict>",
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    "<!-- GitArgus daemon. Written by `gitargus install-service`; `gitargus uninstall-service` removes it. -->",
    '<plist version="1.0">',
    "<dict>",
    "  <key>Label</key>",
    `  ${string(LAUNCH_AGENT_LABEL)}`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...options.command.map((word) => `    ${string(word)}`),
    "  </array>",
    ...environment,
    "  <key>RunAtLoad</key>",
    "  <true/>",
    "  <key>KeepAlive</key>",
    "  <true/>",
    // The same pacing as the systemd units: restart after 5 s, 30 s to stop after SIGTERM. launchd has no
    // equivalent of RestartPreventExitStatus or a start limit: after a config error (exit 2) it keeps
    // starting the daemon every 5 s, each start logging the one-line error, until the config is fixed.
    "  <key>ThrottleInterval</key>",
    "  <integer>5</integer>",
    "  <key>ExitTimeOut</key>",
    "  <integer>30</integer>",
    "  <key>StandardOutPath</key>",
    `  ${string(options.logFile)}`,
    "  <key>StandardErrorPath</key>",
    `  ${string(options.logFile)}`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}
