/**
 * `autoPull`, the per-branch policy: which local branches the daemon may fast-forward. `true` every one,
 * `false` none, `current` only the branch checked out in the repository's worktree, `others` only the
 * branches not checked out there, or a list of globs naming the branches that may move.
 *
 * A glob matches a branch's short name (`release/1.2`, never `refs/heads/release/1.2`) the way fnmatch(3)
 * does with FNM_PATHNAME, which is also git's wildmatch with WM_PATHNAME: `*`, `?` and `[...]` never match a
 * `/`, so `release/*` takes `release/1.2` but not `release/1/2`. A whole `**` segment spans any number of
 * levels (`release/**`, `**` + `/fix`). Git forbids `*`, `?` and `[` in branch names, so a glob needs no
 * escapes: every other character stands for itself.
 */

export type AutoPull = boolean | "current" | "others" | readonly string[];

export const AUTO_PULL_WORDS = ["current", "others"] as const;

/** A compiled policy: may the branch `name` move, given whether it is checked out in the worktree? */
export type BranchFilter = (name: string, checkedOut: boolean) => boolean;

export function branchFilter(policy: AutoPull): BranchFilter {
  if (policy === true) return () => true;
  if (policy === false) return () => false;
  if (policy === "current") return (_, checkedOut) => checkedOut;
  if (policy === "others") return (_, checkedOut) => !checkedOut;
  const globs = policy.map(globPattern);
  return (name) => globs.some((glob) => glob.test(name));
}

/** How a reason names the policy: `others`, `[main, release/*]`. */
export function describeAutoPull(policy: AutoPull): string {
  return typeof policy === "object" ? `[${policy.join(", ")}]` : String(policy);
}

/** How a sync reason begins when the policy held the checked-out branch or, with none before it, others. */
export const POLICY_PREFIX = "policy: ";

/** The reason a branch that needed to move gives when the policy held it. */
export function policyReason(policy: AutoPull): string {
  return `${POLICY_PREFIX}autoPull is ${describeAutoPull(policy)}`;
}

/**
 * What is wrong with `glob` as a branch glob, or null. Besides a broken `[...]`, a glob that could match no
 * branch at all (a character git refuses in branch names, a `refs/heads/` prefix) is a mistake worth naming
 * now rather than a policy that silently moves nothing.
 */
export function branchGlobProblem(glob: string): string | null {
  if (glob.trim() === "") return "it is empty";
  if (glob.startsWith("refs/")) {
    return `globs match the short name: write "${glob.replace(/^refs\/(heads\/)?/, "")}"`;
  }
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f~^:\\]/.test(glob)) {
    return "branch names cannot hold spaces, control characters, ~ ^ : or \\";
  }
  if (glob.includes("..") || glob.includes("@{")) return 'branch names cannot hold ".." or "@{"';
  if (glob.startsWith("/") || glob.endsWith("/") || glob.includes("//")) {
    return "it cannot start or end with / or hold an empty level (//)";
  }
  if (glob.startsWith("-")) return 'branch names cannot start with "-"';
  try {
    globSource(glob);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}

const compiled = new Map<string, RegExp>();

function globPattern(glob: string): RegExp {
  let pattern = compiled.get(glob);
  if (!pattern) {
    pattern = new RegExp(`^${globSource(glob)}$`);
    compiled.set(glob, pattern);
  }
  return pattern;
}

/** The glob as a regular expression's source; throws on an unclosed or empty `[...]`. */
function globSource(glob: string): string {
  const levels = glob.split("/");
  return levels.map((level, index) => {
    const last = index === levels.length - 1;
    if (level === "**") return last ? ".+" : "(?:[^/]+/)*";
    return levelSource(level) + (last ? "" : "/");
  }).join("");
}

function levelSource(level: string): string {
  let out = "";
  for (let i = 0; i < level.length; i++) {
    const c = level[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = classEnd(level, i);
      out += classSource(level.slice(i + 1, end));
      i = end;
    } else out += escapeChar(c);
  }
  return out;
}

/** Index of the `]` closing the class opened at `open`; as in fnmatch, a `]` first in the class is literal. */
function classEnd(level: string, open: number): number {
  let i = open + 1;
  if (level[i] === "!" || level[i] === "^") i++;
  if (level[i] === "]") i++;
  const end = level.indexOf("]", i);
  if (end === -1) throw new Error('a "[" is not closed by "]"');
  return end;
}

function classSource(body: string): string {
  const negated = body.startsWith("!") || body.startsWith("^");
  const members = negated ? body.slice(1) : body;
  if (members === "") throw new Error('a "[...]" is empty');
  let out = "";
  for (let i = 0; i < members.length; i++) {
    const c = members[i]!;
    const next = members[i + 2];
    if (members[i + 1] === "-" && next !== undefined) {
      if (next < c) throw new Error(`the range "${c}-${next}" runs backwards`);
      out += `${escapeChar(c)}-${escapeChar(next)}`;
      i += 2;
    } else out += escapeChar(c);
  }
  // Levels are split at "/", so a class never holds one; negated, it must still not match one (FNM_PATHNAME).
  return negated ? `[^/${out}]` : `[${out}]`;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}
