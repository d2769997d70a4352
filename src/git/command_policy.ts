/**
 * What a repository's own configuration may make git run under the daemon: nothing, except what the user set
 * up outside the repository (credential helpers) or what a correct checkout needs (filter drivers). Every
 * other setting that names a program is overridden on git's command line, which wins over every config file
 * (an `include.path` into a tracked file included) and reaches git's own child processes too.
 */

/** Options for every git call: the settings that any command reading the index or moving a ref would use. */
const COMMON_ARGS: readonly string[] = [
  "--no-pager",
  "--no-optional-locks",
  ...config({
    // A tracked hooks folder (husky) changes with every pull: its hooks must not run unattended.
    "core.hooksPath": "/dev/null",
    // A tracked fsmonitor script would run on every status; `true` would start a background daemon.
    "core.fsmonitor": "false",
  }),
];

/**
 * Options for every other command, which may talk to a remote, check out files or create objects. Values
 * chosen so that nothing starts: an empty program, `false`, or the editor `:` that git treats as "no editor".
 */
export const SAFETY_ARGS: readonly string[] = [
  ...COMMON_ARGS,
  ...config({
    "core.askPass": "",
    "core.editor": ":",
    "sequence.editor": ":",
    "core.alternateRefsCommand": "",
    // The ext:: transport runs an arbitrary command named in the URL (or in an insteadOf rewrite).
    "protocol.ext.allow": "never",
    // Verifying or making signatures runs gpg.program; a fast-forward needs neither.
    "merge.verifySignatures": "false",
    "commit.gpgSign": "false",
    "tag.gpgSign": "false",
    // Submodules have configs of their own that nobody checked: never descend into them.
    "submodule.recurse": "false",
    "fetch.recurseSubmodules": "false",
    // Housekeeping belongs to the user's own git commands, not to a background process.
    "gc.auto": "0",
    "maintenance.auto": "false",
    // git ≥ 2.46 and some helpers read it; older versions ignore it.
    "credential.interactive": "false",
  }),
];

/**
 * Commands that only read, or move a ref (whose hooks are off): none of them talks to a remote, opens an
 * editor, signs, or descends into submodules, so they get the short list and start a little faster.
 */
const LOCAL_COMMANDS = new Set([
  "status",
  "for-each-ref",
  "rev-parse",
  "rev-list",
  "ls-files",
  "merge-base",
  "worktree",
  "config",
  "show-ref",
  "symbolic-ref",
  "cat-file",
  "update-ref",
  "check-ref-format",
  "--version",
]);

/** The safety options for this subcommand; `userHooks` keeps the user's hooks path (to ask where it is). */
export function safetyArgs(args: readonly string[], userHooks = false): readonly string[] {
  const local = LOCAL_COMMANDS.has(args[0] ?? "");
  if (!userHooks) return local ? COMMON_ARGS : SAFETY_ARGS;
  return withoutHooksOverride(local ? COMMON_ARGS : SAFETY_ARGS);
}

/**
 * Whether git runs as the leader of its own process group, so that a timeout kills what it started (ssh,
 * remote and credential helpers, filters on checkout). It costs a few milliseconds per process, which the
 * local commands of every status read are spared: they start no helper that could hang.
 */
export function needsOwnProcessGroup(args: readonly string[]): boolean {
  return !LOCAL_COMMANDS.has(args[0] ?? "");
}

function withoutHooksOverride(args: readonly string[]): string[] {
  return args.filter((arg, i) =>
    arg !== "core.hooksPath=/dev/null" && args[i + 1] !== "core.hooksPath=/dev/null"
  );
}

/** Variables that switch off programs git would otherwise start (they win over the config). */
export const SAFETY_ENV: Readonly<Record<string, string>> = {
  // Empty: no askpass program at all, so GIT_TERMINAL_PROMPT=0 ends the question.
  GIT_ASKPASS: "",
  SSH_ASKPASS: "",
  SSH_ASKPASS_REQUIRE: "never",
  GIT_EDITOR: ":",
  GIT_SEQUENCE_EDITOR: ":",
  GIT_PAGER: "cat",
  PAGER: "cat",
  // Empty wins over core.gitProxy (which git reads first-match, so a command-line override would lose).
  GIT_PROXY_COMMAND: "",
};

/** Subcommands that talk to a remote: their upload-pack is git's own, whatever remote.*.uploadpack says. */
const UPLOAD_PACK_COMMANDS = new Set(["fetch", "ls-remote", "pull", "clone"]);
/** Subcommands that may ask a credential helper. */
const NETWORK_COMMANDS = new Set(["fetch", "ls-remote", "pull", "clone", "push", "remote"]);

export function needsCredentials(args: readonly string[]): boolean {
  return NETWORK_COMMANDS.has(args[0] ?? "");
}

/** The subcommand's arguments with git's own upload-pack named, whatever remote.*.uploadpack says. */
export function confineSubcommand(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  if (command === undefined || !UPLOAD_PACK_COMMANDS.has(command)) return [...args];
  return [command, "--upload-pack=git-upload-pack", ...rest];
}

/**
 * `fetch --multiple a b` as one fetch per remote. git does not hand `--upload-pack` on to the fetch it
 * starts per remote, and a `-c remote.a.uploadpack` loses to the repository's own (git keeps the first one
 * it reads), so each remote gets a fetch of its own, with the option. The first writes FETCH_HEAD, the others append, as
 * `--multiple` does. Options must come in their `--name=value` form. Null when `args` is no such fetch.
 */
export function fetchPerRemote(args: readonly string[]): string[][] | null {
  const [command, ...rest] = args;
  if (command !== "fetch" || !rest.includes("--multiple")) return null;
  const end = rest.indexOf("--end-of-options");
  const before = end < 0 ? rest : rest.slice(0, end);
  const options = before.filter((arg) => arg.startsWith("-") && arg !== "--multiple");
  const remotes = [...before.filter((arg) => !arg.startsWith("-")), ...(end < 0 ? [] : rest.slice(end + 1))];
  return remotes.map((remote, i) => [
    "fetch",
    ...options,
    ...(i > 0 ? ["--append"] : []),
    "--end-of-options",
    remote,
  ]);
}

/**
 * Credential helpers from outside the repository, as `-c` arguments: an empty `credential.helper` clears
 * every helper read so far (the repository's included), then the system and global ones are set again in
 * their order. Private https remotes keep working; a helper planted in `.git/config` never runs.
 *
 * `listing` is `git config --null --show-scope --get-regexp '^credential\..*helper$'`: per entry the scope,
 * NUL, the key, a newline, the value, NUL.
 */
export function credentialArgs(listing: string): string[] {
  const args = ["-c", "credential.helper="];
  const fields = listing.split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i]!;
    const entry = fields[i + 1]!;
    const newline = entry.indexOf("\n");
    if (scope !== "system" && scope !== "global" || newline < 0) continue;
    const key = entry.slice(0, newline);
    // `-c` splits at the first "=": a key holding one (a URL with a query) cannot be passed on.
    if (!key.includes("=")) args.push("-c", `${key}=${entry.slice(newline + 1)}`);
  }
  return args;
}

function config(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
}
