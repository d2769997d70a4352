/**
 * The one list of Deno permission flags. `deno compile`, `deno task gitargus`, the installed pre-push hook and
 * the tests all take their flags from here, so a permission the product lacks fails a test.
 *
 * Read and write are not narrowed to paths: Deno fixes a compiled binary's permissions when it is built, and
 * the paths that matter (the user's HOME, the workspace root, each repository's hooks folder) are only known
 * on the user's machine. Everything else is narrowed to exactly what the code and the AWS SDK use.
 */

export type TargetOs = "linux" | "darwin";

/** Hosts the AWS SDK talks to: regional endpoints, the instance and container metadata services, loopback. */
export const NET_HOSTS = [
  "*.amazonaws.com",
  "*.amazonaws.com.cn",
  "*.api.aws",
  "169.254.169.254",
  "169.254.170.2",
  "127.0.0.1",
  "localhost",
  "[::1]",
  // `serve --host 0.0.0.0` or `::`: the dashboard on every interface (it requires its token there).
  "0.0.0.0",
  "[::]",
] as const;

/** Environment variables read by this program or by the AWS SDK it embeds. */
export const ENV_VARS = [
  "AWS_*",
  // The SDK reads the X-Ray trace header variable on every request.
  "_X_AMZN_TRACE_ID",
  "GITARGUS_*",
  "HOME",
  // The AWS SDK looks for the home folder under every OS's name before reading ~/.aws.
  "USERPROFILE",
  "HOMEPATH",
  "HOMEDRIVE",
  "PATH",
  "USER",
  // `sudo gitargus install-service --system --enable` enables the instance of the user who ran sudo.
  "SUDO_USER",
  "LOGNAME",
  "SSH_AUTH_SOCK",
  "GIT_SSH_COMMAND",
  "XDG_CONFIG_HOME",
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
  // Set by systemd and launchd for the processes they start: the host record says it runs as a service.
  "INVOCATION_ID",
  "XPC_SERVICE_NAME",
  "NO_COLOR",
  "FORCE_COLOR",
  "CLICOLOR_FORCE",
  "TERM",
  "TZ",
  "LANG",
  // Read by the yaml parser when it is imported.
  "LOG_TOKENS",
  "LOG_STREAM",
] as const;

/** `Deno` system information the program or the AWS SDK's user agent asks for. */
export const SYS_NAMES = [
  "hostname",
  "osRelease",
  "osUptime",
  "loadavg",
  "networkInterfaces",
  "uid",
  "gid",
] as const;

/** Programs this binary starts: git always; the service manager of the target OS. */
export function runPrograms(os: TargetOs): string[] {
  // `kill` ends the process group of a git that timed out (src/git/runner.ts).
  // The desktop's opener shows the dashboard for `serve --open` (src/serve/open.ts).
  // The desktop's notifier, and `sh` for the user's `notify.command` and `hooks.onEvent` (src/util/program.ts):
  // git, always allowed, can run any program its config names, so this list guards against the program's own
  // mistakes, not against the config's author (README, Security model).
  return os === "darwin"
    ? ["git", "kill", "launchctl", "open", "osascript", "sh"]
    : ["git", "kill", "systemctl", "xdg-open", "notify-send", "sh"];
}

/**
 * glibc's C library where Linux distributions keep it (Debian and Ubuntu on x86-64 and arm64, Fedora, Arch).
 * The daemon calls its `malloc_trim` when it returns memory after a burst (src/daemon/heap.ts): glibc keeps
 * freed pages inside its heap otherwise, 6–8 MB at 1,000 repositories, for the daemon's whole life. Only these
 * files may be loaded; that adds nothing to what the `sh` entry already allows (README, Security model).
 */
export const LIBC_PATHS = [
  "/lib/x86_64-linux-gnu/libc.so.6",
  "/lib/aarch64-linux-gnu/libc.so.6",
  "/lib64/libc.so.6",
  "/usr/lib/libc.so.6",
] as const;

/**
 * V8 settings for a long-running daemon that is mostly idle: a small young generation (the default reserves
 * tens of MB for allocation bursts the daemon never has), and `gc()` so the daemon can hand the garbage of
 * its start-up full update back to the system.
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--expose-gc,--lite-mode,--optimize-for-size";

export function permissionFlags(os: TargetOs = currentOs()): string[] {
  return [
    V8_FLAGS,
    "--allow-read",
    "--allow-write",
    `--allow-run=${runPrograms(os).join(",")}`,
    `--allow-net=${NET_HOSTS.join(",")}`,
    `--allow-env=${ENV_VARS.join(",")}`,
    `--allow-sys=${SYS_NAMES.join(",")}`,
    ...(os === "linux" ? [`--allow-ffi=${LIBC_PATHS.join(",")}`] : []),
  ];
}

export function currentOs(): TargetOs {
  return Deno.build.os === "darwin" ? "darwin" : "linux";
}
