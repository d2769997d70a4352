/** The command table: parses argv with commander and calls one command module. No logic lives here. */

import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import type { GlobalOptions } from "./context.ts";
import * as out from "./output.ts";
import { helpAsOption, usageMessage } from "./usage.ts";
import { commandModule } from "./command_module.ts";

export function buildProgram(): Command<[], { config?: string; verbose?: boolean }> {
  const program = new Command()
    .name("gitargus")
    .description("Keeps your git workspaces in step across your machines.")
    .version(VERSION, "-V, --version", "print the version")
    .option("-c, --config <path>", "config file (default: $GITARGUS_CONFIG or ~/.gitargus/config.yml)")
    .option("-v, --verbose", "debug logs, and the causes of errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => out.raw(text),
      writeErr: (text) => out.errorRaw(text),
      // Errors are reported by main in one line; commander's own rendering is not used.
      outputError: () => {},
    });
  const globals = (): GlobalOptions => program.opts();

  program.command("run")
    .description(
      "run the daemon: keep every repository's state in the store and apply other machines' pushes",
    )
    .option("--once", "one full update (fetch, fast-forward, status), then exit")
    .option("--no-hooks", "do not install the pre-push hooks at start")
    .action(async (options) => {
      const { runCommand } = await commandModule<typeof import("./commands/run.ts")>("run");
      await runCommand(globals(), options);
    });

  program.command("status")
    .description("show every machine's repositories side by side")
    .option("--json", "print JSON")
    .option("--host <name>", "only this machine")
    .option("--repo <name>", "only this repository (its name or last path part)")
    .option("--local", "this machine's live state, read from git without AWS")
    .option("--attention", "only the repositories that need attention, and this machine's attention items")
    .addHelpText("after", STATUS_HELP)
    .action(async (options) => {
      const { statusCommand } = await commandModule<typeof import("./commands/status.ts")>("status");
      await statusCommand(globals(), options);
    });

  program.command("leave")
    .description("list what on this machine no other machine can get, with what to run; exit 1 if any")
    .option("--json", "print JSON")
    .option("--local", "one short line for a shell prompt, from the daemon's cached states (no AWS)")
    .addHelpText("after", LEAVE_HELP)
    .action(async (options) => {
      const { leaveCommand } = await commandModule<typeof import("./commands/leave.ts")>("leave");
      await leaveCommand(globals(), options);
    });

  program.command("arrive")
    .description("show what the other machines did since this one was last active")
    .option("--json", "print JSON")
    .option("--since <when>", "look back from this time instead: 30m, 2h, 3d, 1w or an ISO time")
    .addHelpText("after", ARRIVE_HELP)
    .action(async (options) => {
      const { arriveCommand } = await commandModule<typeof import("./commands/arrive.ts")>("arrive");
      await arriveCommand(globals(), options);
    });

  program.command("serve")
    .description("serve the dashboard of every machine, and its JSON API, to a browser")
    .option("--port <number>", "port to listen on (default 8421; 0: any free port)")
    .option("--host <address>", "address to listen on (default 127.0.0.1; 0.0.0.0 or :: for every interface)")
    .option("--open", "open the dashboard in this machine's browser")
    .addHelpText("after", SERVE_HELP)
    .action(async (options) => {
      const { serveCommand } = await commandModule<typeof import("./commands/serve.ts")>("serve");
      await serveCommand(globals(), options);
    });

  program.command("add")
    .description("add repositories to the config, keeping its comments and settings; installs their hooks")
    .argument("<path...>", "repository folders under the workspace root")
    .action(async (paths: string[]) => {
      const { addCommand } = await commandModule<typeof import("./commands/repositories.ts")>("repositories");
      await addCommand(globals(), paths);
    });

  program.command("remove")
    .description("remove repositories from the config (their folders are left alone)")
    .argument("<name...>", "configured names, or their last path part")
    .action(async (names: string[]) => {
      const { removeCommand } = await commandModule<typeof import("./commands/repositories.ts")>(
        "repositories",
      );
      await removeCommand(globals(), names);
    });

  program.command("clone")
    .description("clone repositories other machines have and this one lacks, from the URL they recorded")
    .argument("[name...]", "repository names as the other machines record them (or their last part)")
    .option("--missing", "every repository other machines have and this one lacks")
    .option("-y, --yes", "do not ask for confirmation (needed when stdin is not a terminal)")
    .addHelpText("after", CLONE_HELP)
    .action(async (names: string[], options) => {
      const { cloneCommand } = await commandModule<typeof import("./commands/clone.ts")>("clone");
      await cloneCommand(globals(), names, options);
    });

  program.command("forget-host")
    .description("remove a machine's records (its host record and every repository) from the store")
    .argument("<name>", "the machine's hostname, as `status` shows it")
    .option("-y, --yes", "do not ask for confirmation (needed when stdin is not a terminal)")
    .addHelpText("after", FORGET_HOST_HELP)
    .action(async (name: string, options) => {
      const { forgetHostCommand } = await commandModule<typeof import("./commands/forget_host.ts")>(
        "forget_host",
      );
      await forgetHostCommand(globals(), name, options);
    });

  const hooks = program.command("hooks").description("manage the pre-push hooks that announce pushes");
  for (const action of ["install", "uninstall", "status"] as const) {
    hooks.command(action)
      .description(
        `${action === "status" ? "show" : action} the pre-push hook of every configured repository`,
      )
      .option("--repo <name>", "only this repository")
      .action(async (options) => {
        const { hooksCommand } = await commandModule<typeof import("./commands/hooks.ts")>("hooks");
        await hooksCommand(globals(), action, options);
      });
  }

  const wip = program.command("wip")
    .description(
      "carry uncommitted work to another machine: a snapshot on the remote, restored only when safe",
    )
    .addHelpText("after", WIP_HELP);
  wip.command("save")
    .description("snapshot the uncommitted work (staged, unstaged, untracked) and push it to a private ref")
    .argument("[repo...]", "configured names (default: the repository here, else every one with changes)")
    .option("--force", "include files that look like secrets or are over the size limit")
    .action(async (repos: string[], options) => {
      const { wipSaveCommand } = await commandModule<typeof import("./commands/wip.ts")>("wip");
      await wipSaveCommand(globals(), repos, options);
    });
  wip.command("list")
    .description("list the work in progress every machine saved, from the store")
    .option("--json", "print JSON")
    .option("--host <name>", "only what this machine saved")
    .action(async (options) => {
      const { wipListCommand } = await commandModule<typeof import("./commands/wip.ts")>("wip");
      await wipListCommand(globals(), options);
    });
  wip.command("show")
    .description("show the files and the diff of a snapshot another machine saved")
    .argument("<host>", "the machine that saved it")
    .argument("<repo>", "the repository (its name or last path part)")
    .option("--branch <name>", "the branch it was saved from, when there are several")
    .action(async (host: string, repo: string, options) => {
      const { wipShowCommand } = await commandModule<typeof import("./commands/wip.ts")>("wip");
      await wipShowCommand(globals(), host, repo, options);
    });
  wip.command("restore")
    .description("apply a snapshot to this clone, uncommitted as it was saved, only when that is safe")
    .argument("<host>", "the machine that saved it")
    .argument("<repo>", "the repository (its name or last path part)")
    .option("--branch <name>", "the branch it was saved from, when there are several")
    .option("--new-branch", "when applying here is not safe, put it on branch wip/<host>/<branch> instead")
    .action(async (host: string, repo: string, options) => {
      const { wipRestoreCommand } = await commandModule<typeof import("./commands/wip.ts")>("wip");
      await wipRestoreCommand(globals(), host, repo, options);
    });
  wip.command("drop")
    .description("delete a snapshot from the remote")
    .argument("<host>", "the machine that saved it")
    .argument("<repo>", "the repository (its name or last path part)")
    .option("--branch <name>", "the branch it was saved from, when there are several")
    .action(async (host: string, repo: string, options) => {
      const { wipDropCommand } = await commandModule<typeof import("./commands/wip.ts")>("wip");
      await wipDropCommand(globals(), host, repo, options);
    });

  const hook = program.command("hook").description("entry points called by git hooks");
  hook.command("pre-push")
    .description("announce the push described on stdin (called by the installed hook)")
    .argument("<remote>", "name of the remote")
    .argument("[url]", "URL of the remote (not used: receivers never take a URL from a message)")
    .action(async (remote) => {
      const { prePushCommand } = await commandModule<typeof import("./commands/hook.ts")>("hook");
      await prePushCommand(globals(), remote);
    });

  program.command("setup-aws")
    .description("create the DynamoDB table, SNS topic, this machine's SQS queue and subscription")
    .option("--dry-run", "only say what would be created or changed")
    .addOption(
      new Option("--topic-name <name>", "name of the SNS FIFO topic to create").default("gitargus.fifo"),
    )
    .addOption(
      new Option(
        "--billing <mode>",
        "a new table's billing: on-demand, or provisioned at 5 read and 5 write units, its index alike (free tier)",
      ).default("on-demand"),
    )
    .action(async (options) => {
      const { setupAwsCommand } = await commandModule<typeof import("./commands/setup_aws.ts")>("setup_aws");
      await setupAwsCommand(globals(), options);
    });

  program.command("init")
    .description("write ~/.gitargus/config.yml: hostname, root and the git repositories found under root")
    .option("--root <dir>", "workspace root to scan (default: the current directory)")
    .option("--hostname <name>", "this machine's name (default: the OS host name)")
    .option("--depth <n>", "how many folder levels to search below root", "4")
    .option("-y, --yes", "add what is found to an existing config without asking (its settings are kept)")
    .option("--dry-run", "print the config instead of writing it")
    .action(async (options) => {
      const { initCommand } = await commandModule<typeof import("./commands/init.ts")>("init");
      await initCommand(globals(), options);
    });

  const scope = () =>
    new Option("--system", "the system template /etc/systemd/system/gitargus@.service (User=%i)").conflicts(
      "user",
    );
  program.command("install-service")
    .description(
      "install the daemon as a service: a systemd user unit (default), the system template, or launchd",
    )
    .option("--user", "a systemd user unit in ~/.config/systemd/user (no root needed; the default)")
    .addOption(scope())
    .option("--dry-run", "print the unit and the commands instead of writing anything")
    .option("--enable", "also enable and start it now")
    .action(async (options) => {
      const { installServiceCommand } = await commandModule<typeof import("./commands/service.ts")>(
        "service",
      );
      await installServiceCommand(globals(), options);
    });
  program.command("uninstall-service")
    .description("stop, disable and remove the service that install-service wrote")
    .option("--user", "the systemd user unit (the default)")
    .addOption(scope())
    .option("--dry-run", "print what would be removed")
    .action(async (options) => {
      const { uninstallServiceCommand } = await commandModule<typeof import("./commands/service.ts")>(
        "service",
      );
      await uninstallServiceCommand(globals(), options);
    });

  program.command("doctor")
    .description("check config, git, AWS resources, hooks and the service; say how to fix what fails")
    .option("--json", "print the checks as JSON")
    .action(async (options) => {
      const { doctorCommand } = await commandModule<typeof import("./commands/doctor.ts")>("doctor");
      await doctorCommand(globals(), options);
    });

  program.command("completions")
    .description("print a shell completion script")
    .argument("<shell>", "bash, zsh or fish")
    .action(async (shell) => {
      const { completionsCommand } = await commandModule<typeof import("./commands/completions.ts")>(
        "completions",
      );
      completionsCommand(program, shell);
    });

  return program;
}

/** Runs the CLI; returns the exit code. Commander's usage errors become `UsageError`. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(helpAsOption(program, argv) ?? argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // `--help` asked for is a success; help shown because a subcommand is missing is a usage error.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.code === "commander.help") return 2;
      if (error.exitCode === 0) return 0;
      throw new UsageError(usageMessage(error), { cause: error });
    }
    throw error;
  }
}

const STATUS_HELP = `
Columns:
  STATE    UP_TO_DATE, AHEAD, BEHIND, DIVERGED, NO_UPSTREAM, DETACHED, MISSING (not on disk or not a
           repository), FAILED (could not be read, a fetch or a fast-forward failed)
  ↑↓       commits ahead of / behind the upstream
  CHANGES  staged (+), unstaged (~), untracked (?), conflicted (!); "-" when the repository could not be read
  AGE      how long ago this machine last observed the repository (it writes only when something changed,
           so an old AGE on a running machine means nothing changed since)
Notes:
  machine offline / machine stopped     its daemon missed 3 heartbeats / was stopped; the row is its last word
  last run 2h ago                       a \`run --once\` machine (cron, CI): the row is as of its last run
  merge|rebase|... in progress          an operation waits for the user; nothing is moved meanwhile
  N stashes                             stashed work exists only on that machine
  B +N unpushed                         branch B has N commits its upstream lacks
  B +N never pushed                     branch B has no upstream; N commits are on no remote
  B +N unpushed (upstream gone)         B's upstream was deleted; N commits are on no remote
  N commits on no remote                the checked-out branch has no live upstream
  N commits on no branch or remote      a detached HEAD holds commits no branch or remote has
  not fast-forwarded: REASON            a push arrived but moving the clone was not safe, and why
  fetch failed: REASON                  the last fetch failed (the log has the whole command)
The last lines count, per machine, repositories, those needing attention, unpushed commits, stashes and
repositories with uncommitted changes. --host and --repo that match nothing exit 1 and list the known names.
Machines that speak different push event versions get one warning line. --attention also lists the
items this machine's daemon keeps (a blocked fast-forward, a failed repository, work at risk elsewhere,
a machine offline with work on it, AWS out of reach); --json has each machine's as "attention".`;

const FORGET_HOST_HELP = `
For a machine that was retired or renamed: only its records in the store go, no repository is touched.
A machine whose daemon still runs records itself again at its next heartbeat, so stop it there first.
This machine's own name is refused while its daemon runs here. An unknown name exits 1 and lists the
known hosts.`;

const SERVE_HELP = `
Access: every request needs the dashboard's token, kept with the address in the user-only file
~/.gitargus/dashboard/<port>.url (the same token across restarts). --open hands it to the browser through a
user-only page, so it never shows in the process list. Scripts send "Authorization: Bearer <token>".
API: GET /api/hosts (as \`status --json\`), /api/hosts/<name>, /<name>, /api/events (server-sent events);
POST /api/actions/fetch {"repo": ...} (this machine's repositories), /api/actions/silence.
`;

const LEAVE_HELP = `
Lists, one line per repository, the work only this machine holds: uncommitted or untracked changes (in any
worktree), commits on no remote, branches never pushed, stashes, operations left half done, and pushes not
yet announced to the other machines; each with the command that saves it or shows it. Exit 1 when anything
is at risk, 0 when this machine can be left.
--local prints "⚠ N at risk" or nothing, from the daemon's cache of this host's states: a repository whose
git metadata changed since the daemon read it, or every one when the daemon is not running, is read from
git (one line on stderr says so).`;

const CLONE_HELP = `
Each repository goes to the same path under this machine's root (parent folders are created), cloned from
the fetch URL the most recently updated other machine recorded (credentials are never recorded). Only
https, ssh (also git@host:path) and file URLs are used; a URL with credentials, another transport, a name
that leaves the root and an existing folder (even an empty one) are refused, each in one line. The cloned
repositories are added to the config (its comments and settings kept) and get their pre-push hook.
`;

const WIP_HELP = `
A snapshot is a commit made through a temporary index (your worktree, index, stash and branches are not
touched), pushed to refs/gitargus/wip/<host>/<branch> on the repository's remote, replacing only that ref.
Files over wip.maxFileSizeMB (10) and names that look like secrets (.env, keys, credentials) are refused
unless --force. Restore applies it only when the snapshot's base is HEAD or an ancestor of it, HEAD did not
change those paths since, and nothing local is in their way; staged stays staged, untracked stays untracked,
nothing is committed. Otherwise it changes nothing and offers branch wip/<host>/<branch> (--new-branch).
`;

const ARRIVE_HELP = `
Since this machine was last active (the last \`leave\` or \`arrive\` here, else its daemon's stop or start,
else a day ago): pushes fast-forwarded here, clones a push could not move and why, work only another machine
holds, and offline machines with unpushed commits. Reads the store; exit 0, or 1 when it cannot be read.`;
