/**
 * Installs the pre-push hook that announces pushes. An existing hook is never overwritten: it is kept beside
 * ours as `pre-push.gitargus-chained`, runs first with the same arguments and input, and its exit status still
 * decides the push. Uninstall puts it back.
 */

import * as localFs from "../util/local_fs.ts";
import { dirname, isAbsolute, join, relative } from "node:path";
import type { GitRunner } from "./runner.ts";
import type { RepoLocation } from "./repo.ts";
import { pathExists, writeFileAtomic } from "../util/fs.ts";
import { shellQuote } from "../util/shell.ts";

export const HOOK_MARKER = "# gitargus-hook v1";
export const CHAINED_SUFFIX = ".gitargus-chained";

export type HookState =
  | { kind: "installed"; file: string; chained: boolean }
  | { kind: "outdated"; file: string; chained: boolean }
  | { kind: "absent"; file: string }
  | { kind: "foreign"; file: string }
  | { kind: "unsupported"; file: string; reason: string };

export type HookChange = "installed" | "updated" | "unchanged" | "removed" | "absent" | "refused";

/** Where git looks for hooks in this repository, honouring core.hooksPath (husky and the like). */
export async function hooksDirectory(runner: GitRunner, location: RepoLocation): Promise<string> {
  const { stdout } = await runner.run(["rev-parse", "--path-format=absolute", "--git-path", "hooks"], {
    cwd: location.path,
    userHooksPath: true,
  });
  return stdout.trim();
}

/** What the hook script runs: `prePush` inside every `git push`, `publish` in the background after it. */
export interface HookCommands {
  prePush: readonly string[];
  publish: readonly string[];
}

/**
 * The hook script: POSIX sh, chained hook first, then gitargus, which never fails the push. gitargus gets the
 * pushing git's pid (the script's parent), so its event is published once the push landed; it exits
 * START_PUBLISHER (3) when no daemon will publish it, and the script then starts the one-shot publisher in
 * the background. That start is the script's, not gitargus's: the publisher is this same program, which the
 * compiled binary's fixed `--allow-run` list could not name (README, Security model). From source the two
 * differ: `prePush` is the hook's bundle (src/hook_bundle.ts), `publish` is main.ts.
 */
export function renderHook(commands: HookCommands): string {
  const quoted = (command: readonly string[]) => command.map(shellQuote).join(" ");
  const run = `GITARGUS_PUSHER=$PPID ${quoted(commands.prePush)} hook pre-push "$@" >&2`;
  // Without a chained hook, git's input goes straight to gitargus: no extra processes inside `git push`.
  // A chained plain sh hook is sourced in a subshell so that it keeps its own `$0` (husky's dispatcher finds
  // the user's script from the name it was started under); a shebang with options (`#!/bin/sh -e`) or another
  // interpreter is executed, since sourcing would drop its options. The publisher gets /dev/null for every
  // stream: a pipe git's caller reads (an editor, CI) would otherwise stay open until it is done.
  return `#!/bin/sh
${HOOK_MARKER}
# Announces each push to your other machines. Managed by \`gitargus hooks install|uninstall\`.
case "$0" in */*) dir="\${0%/*}" ;; *) dir=. ;; esac
chained="$dir/pre-push${CHAINED_SUFFIX}"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  input=$(cat)
  feed() { if [ -n "$input" ]; then printf '%s\\n' "$input"; fi; }
  case "$(head -n 1 "$chained")" in
    '#!/bin/sh' | '#!/usr/bin/env sh') feed | ( . "$chained" ) || exit $? ;;
    *) feed | "$chained" "$@" || exit $? ;;
  esac
  feed | ${run}
else
  ${run}
fi
if [ $? -eq 3 ]; then
  if command -v nice >/dev/null 2>&1; then nice=nice; else nice=; fi
  \${nice:+nice -n 19} ${quoted(commands.publish)} hook publish </dev/null >/dev/null 2>&1 &
fi
exit 0
`;
}

export async function hookState(
  runner: GitRunner,
  location: RepoLocation,
  commands: HookCommands,
): Promise<HookState> {
  const dir = await hooksDirectory(runner, location);
  const file = join(dir, "pre-push");
  const tracked = await trackedHooksReason(runner, location, dir);
  const content = await readText(file);
  const chained = await pathExists(file + CHAINED_SUFFIX);
  if (content === null) {
    return tracked ? { kind: "unsupported", file, reason: tracked } : { kind: "absent", file };
  }
  if (!content.includes(HOOK_MARKER)) {
    return tracked ? { kind: "unsupported", file, reason: tracked } : { kind: "foreign", file };
  }
  return content === renderHook(commands)
    ? { kind: "installed", file, chained }
    : { kind: "outdated", file, chained };
}

export async function installHook(
  runner: GitRunner,
  location: RepoLocation,
  commands: HookCommands,
): Promise<{ change: HookChange; state: HookState }> {
  const state = await hookState(runner, location, commands);
  const script = renderHook(commands);
  switch (state.kind) {
    case "installed":
      return { change: "unchanged", state };
    case "unsupported":
      return { change: "refused", state };
    case "foreign":
      await Deno.rename(state.file, state.file + CHAINED_SUFFIX);
      break;
    case "absent":
      await Deno.mkdir(dirname(state.file), { recursive: true });
      break;
    case "outdated":
      break;
  }
  try {
    await writeFileAtomic(state.file, script, { mode: 0o755 });
  } catch (error) {
    // The user's own hook goes back where it was: a failed install must never leave a push unguarded.
    if (state.kind === "foreign") await Deno.rename(state.file + CHAINED_SUFFIX, state.file).catch(() => {});
    throw error;
  }
  return {
    change: state.kind === "outdated" ? "updated" : "installed",
    state: await hookState(runner, location, commands),
  };
}

export async function uninstallHook(
  runner: GitRunner,
  location: RepoLocation,
  commands: HookCommands,
): Promise<HookChange> {
  const state = await hookState(runner, location, commands);
  if (state.kind !== "installed" && state.kind !== "outdated") return "absent";
  await Deno.remove(state.file);
  if (state.chained) await Deno.rename(state.file + CHAINED_SUFFIX, state.file);
  return "removed";
}

/**
 * A hooks folder inside the worktree that git tracks (not husky's ignored `_` folder) is the team's code:
 * writing there would show up as a local change and could block fast-forwards. Returns why, or null.
 */
async function trackedHooksReason(
  runner: GitRunner,
  location: RepoLocation,
  dir: string,
): Promise<string | null> {
  const inside = relative(location.path, dir);
  if (inside.startsWith("..") || isAbsolute(inside)) return null;
  for (const gitDir of [location.gitDir, location.commonDir]) {
    const inGitDir = relative(gitDir, dir);
    if (!inGitDir.startsWith("..") && !isAbsolute(inGitDir)) return null;
  }
  const ignored = await runner.run([
    "check-ignore",
    "-q",
    "--no-index",
    "--end-of-options",
    join(inside, "pre-push"),
  ], {
    cwd: location.path,
    allowFailure: true,
  });
  if (ignored.code === 0) return null;
  return `core.hooksPath "${inside}" is part of the repository; add \`gitargus hook pre-push "$@"\` to its pre-push hook`;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await localFs.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
