/**
 * Generated situations for the data-safety test of the receiving machine: what the user left in the clone
 * (local commits, changes of every kind, stashes, operations stopped half way, linked worktrees, a stale
 * index.lock) and what another machine pushed meanwhile. Pure data from a seeded generator, so one seed and
 * one case number always describe the same situation.
 */

export const FEATURES = ["feature1", "feature2", "feature3"] as const;
export type Feature = typeof FEATURES[number];
export type BranchName = "main" | Feature;

/** Tracked on every branch, so a local change to any of them is possible whatever is checked out. */
export const TRACKED_PATHS = [
  "README.md",
  "src/app.ts",
  "src/util.ts",
  "docs/guide.md",
  "run.sh",
  "notes.txt",
  "data.bin",
] as const;
/** Paths no branch tracks at first: untracked here, added by an incoming push there. */
export const NEW_PATHS = ["extra.txt", "docs/new.md", "new/feature.ts", "new", "tools/gen.sh"] as const;
/** Matched by the tracked `.gitignore` (`*.log`, `build/`); a push may still add them. */
export const IGNORED_PATHS = ["debug.log", "build/out.bin"] as const;

export const OPERATION_KINDS = ["merge", "rebase", "cherry-pick", "bisect"] as const;
export type OperationKind = typeof OPERATION_KINDS[number];

/** Changes to a tracked file; the others create files no branch tracks. */
const TRACKED_CHANGE_KINDS = [
  "edit",
  "edit-staged",
  "edit-staged-and-unstaged",
  "delete",
  "delete-staged",
  "mode",
  "mode-staged",
  "file-to-dir",
] as const;
export const CHANGE_KINDS = [...TRACKED_CHANGE_KINDS, "untracked", "ignored", "staged-new"] as const;
export type ChangeKind = typeof CHANGE_KINDS[number];

export interface LocalChange {
  kind: ChangeKind;
  path: string;
  content: string;
}

export interface LinkedWorktree {
  branch: Feature;
  operation: OperationKind | null;
  /** An unstaged edit of notes.txt there. */
  edited: boolean;
  indexLock: boolean;
}

export type IncomingChange =
  | { op: "modify" | "add"; path: string; content: string; executable: boolean }
  | { op: "delete"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "mode"; path: string; content: string; executable: boolean };

/**
 * What the other machine did to one upstream: new commits on top of it, a force-push of commits built on
 * an older base, or a rewind to that older base.
 */
export interface IncomingPush {
  branch: BranchName;
  kind: "fast-forward" | "force-push" | "rewind";
  commits: IncomingChange[][];
}

export interface Situation {
  index: number;
  /** Features with a local branch tracking the upstream of the same name. */
  localFeatures: Feature[];
  /** Features whose local branch has a commit its upstream lacks. */
  featuresAhead: Feature[];
  /** What the main worktree has checked out; "scratch" is a branch without upstream. */
  head: BranchName | "scratch" | "detached";
  headCommits: number;
  /** An earlier `reset --hard` left a commit that only ORIG_HEAD still names. */
  origHeadOnly: boolean;
  stashes: number;
  worktrees: LinkedWorktree[];
  /** Stopped in the main worktree, involving what `head` names. */
  operation: OperationKind | null;
  changes: LocalChange[];
  indexLock: boolean;
  incoming: IncomingPush[];
}

export interface TreeEntry {
  content: string;
  executable: boolean;
}
export type Tree = Map<string, TreeEntry>;

export const TEXT = {
  readmeBefore: "# repo\nfirst version\n",
  readmeBase: "# repo\nsecond version\n",
  readmeClash: "# repo\nanother machine's version\n",
} as const;

/** The tree of `main` as every clone starts: the commit before it differs only in README.md and src/app.ts. */
export function baseTree(first = false): Tree {
  return new Map<string, TreeEntry>([
    [".gitignore", { content: "*.log\nbuild/\n", executable: false }],
    ["README.md", { content: first ? TEXT.readmeBefore : TEXT.readmeBase, executable: false }],
    ["src/app.ts", {
      content: first ? "export const app = 1;\n" : "export const app = 2;\n",
      executable: false,
    }],
    ["src/util.ts", { content: "export const util = true;\n", executable: false }],
    ["docs/guide.md", { content: "Guide\r\nwith CRLF line ends\r\n", executable: false }],
    ["run.sh", { content: "#!/bin/sh\necho run\n", executable: true }],
    ["notes.txt", { content: "notes\n", executable: false }],
    ["data.bin", { content: "\u0000\u0001binary\u0000\r\n\u00ff", executable: false }],
  ]);
}

export function featureTree(feature: Feature): Tree {
  const tree = baseTree();
  tree.set(`${feature}.txt`, { content: `${feature}\n`, executable: false });
  return tree;
}

/** mulberry32: small, fast and the same on every platform. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Cannot pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** A case's generator depends only on the seed and its number, so any case can be re-run alone. */
export function caseRandom(seed: number, index: number): Random {
  return new Random(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
}

/** True when two paths name the same file or one is a folder holding the other. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export function generateSituation(seed: number, index: number): Situation {
  const random = caseRandom(seed, index);
  const localFeatures = FEATURES.filter(() => random.chance(0.7));
  const featuresAhead = localFeatures.filter(() => random.chance(0.25));
  const roll = random.next();
  const head: Situation["head"] = roll < 0.55
    ? "main"
    : roll < 0.7
    ? localFeatures[0] ?? "main"
    : roll < 0.85
    ? "detached"
    : "scratch";
  const headCommits = random.chance(0.2) ? random.int(1, 2) : 0;
  const origHeadOnly = random.chance(0.15);
  const stashes = random.chance(0.2) ? random.int(1, 2) : 0;
  const spare = localFeatures.filter((f) => f !== head);
  const linkedCount = Math.min(spare.length, random.chance(0.35) ? (random.chance(0.3) ? 2 : 1) : 0);
  const worktrees = spare.slice(0, linkedCount).map((branch): LinkedWorktree => ({
    branch,
    operation: random.chance(0.35) ? random.pick(OPERATION_KINDS) : null,
    edited: random.chance(0.5),
    indexLock: random.chance(0.15),
  }));
  const operation = random.chance(0.15) ? random.pick(OPERATION_KINDS) : null;
  const changes = generateChanges(random, operation);
  const indexLock = random.chance(0.1);
  const headBranch = head === "detached" || head === "scratch" ? null : head;
  const focus = changes.map((c) => c.path);
  const incoming: IncomingPush[] = [];
  for (const branch of ["main", ...FEATURES] as const) {
    const push = generatePush(random, branch, branch === headBranch ? focus : [], branch === "main");
    if (push) incoming.push(push);
  }
  return {
    index,
    localFeatures,
    featuresAhead,
    head,
    headCommits,
    origHeadOnly,
    stashes,
    worktrees,
    operation,
    changes,
    indexLock,
    incoming,
  };
}

const TRACKED_KINDS = new Set<ChangeKind>(TRACKED_CHANGE_KINDS);

function generateChanges(random: Random, operation: OperationKind | null): LocalChange[] {
  const count = random.pick([0, 1, 1, 1, 2, 2, 3, 3]);
  // A stopped merge, rebase or cherry-pick leaves README.md conflicted: that is its local change already.
  const conflicted = operation !== null && operation !== "bisect";
  const tracked = TRACKED_PATHS.filter((p) => !(conflicted && p === "README.md"));
  const changes: LocalChange[] = [];
  for (let attempt = 0; changes.length < count && attempt < 20; attempt++) {
    const kind = random.pick(CHANGE_KINDS);
    const pool = TRACKED_KINDS.has(kind) ? tracked : kind === "ignored" ? IGNORED_PATHS : NEW_PATHS;
    const path = random.pick(pool);
    if (changes.some((c) => pathsOverlap(c.path, path))) continue;
    changes.push({ kind, path, content: `local ${kind} of ${path} #${random.int(0, 999)}\n` });
  }
  return changes;
}

function generatePush(
  random: Random,
  branch: BranchName,
  focus: string[],
  likely: boolean,
): IncomingPush | null {
  const roll = random.next();
  if (roll < (likely ? 0.2 : 0.45)) return null;
  if (roll > 0.95) return { branch, kind: "rewind", commits: [] };
  const kind = roll > 0.85 ? "force-push" : "fast-forward";
  const tree = kind === "force-push"
    ? (branch === "main" ? baseTree(true) : baseTree())
    : (branch === "main" ? baseTree() : featureTree(branch));
  const commits: IncomingChange[][] = [];
  const count = random.int(1, 2);
  while (commits.length < count) commits.push(generateCommit(random, tree, focus));
  return { branch, kind, commits };
}

/** One commit's changes, applied to `tree` as it goes so the next commit builds on it. */
function generateCommit(random: Random, tree: Tree, focus: string[]): IncomingChange[] {
  const changes: IncomingChange[] = [];
  const touched: string[] = [];
  const choose = (candidates: string[]): string | undefined => {
    const free = candidates.filter((p) => !touched.some((t) => pathsOverlap(t, p)));
    const focused = free.filter((p) => focus.some((f) => pathsOverlap(f, p)));
    if (focused.length > 0 && random.chance(0.5)) return random.pick(focused);
    return free.length > 0 ? random.pick(free) : undefined;
  };
  const existing = () => [...tree.keys()].filter((p) => p !== ".gitignore");
  const absent = () =>
    [...NEW_PATHS, ...IGNORED_PATHS].filter((p) => ![...tree.keys()].some((t) => pathsOverlap(t, p)));
  for (let n = random.int(1, 2), attempt = 0; changes.length < n && attempt < 10; attempt++) {
    const op = random.pick(["modify", "modify", "add", "delete", "rename", "mode"] as const);
    const content = `incoming ${op} #${random.int(0, 999)}\n`;
    if (op === "add" || op === "rename") {
      const to = choose(absent());
      const from = op === "rename" ? choose(existing()) : undefined;
      if (!to || (op === "rename" && (!from || pathsOverlap(from, to)))) continue;
      if (op === "add") {
        const executable = random.chance(0.2);
        tree.set(to, { content, executable });
        changes.push({ op, path: to, content, executable });
      } else {
        tree.set(to, tree.get(from!)!);
        tree.delete(from!);
        changes.push({ op, from: from!, to });
      }
      touched.push(to, ...(from ? [from] : []));
      continue;
    }
    const path = choose(existing());
    if (!path) continue;
    const entry = tree.get(path)!;
    touched.push(path);
    if (op === "delete") {
      tree.delete(path);
      changes.push({ op, path });
    } else if (op === "mode") {
      tree.set(path, { ...entry, executable: !entry.executable });
      changes.push({ op, path, content: entry.content, executable: !entry.executable });
    } else {
      tree.set(path, { content, executable: entry.executable });
      changes.push({ op, path, content, executable: entry.executable });
    }
  }
  return changes;
}

/** One line a person can read in a failure report. */
export function describeSituation(s: Situation): string {
  const parts: string[] = [];
  parts.push(`head ${s.head}${s.headCommits ? ` +${s.headCommits} local commit(s)` : ""}`);
  if (s.localFeatures.length) {
    const ahead = (f: Feature) => s.featuresAhead.includes(f) ? "+1" : "";
    parts.push(`local ${s.localFeatures.map((f) => f + ahead(f)).join(",")}`);
  }
  if (s.origHeadOnly) parts.push("ORIG_HEAD-only commit");
  if (s.stashes) parts.push(`${s.stashes} stash(es)`);
  if (s.operation) parts.push(`${s.operation} stopped`);
  if (s.changes.length) parts.push(`changes: ${s.changes.map((c) => `${c.kind} ${c.path}`).join(", ")}`);
  if (s.indexLock) parts.push("index.lock");
  for (const w of s.worktrees) {
    const notes = [
      w.operation && `${w.operation} stopped`,
      w.edited && "edited",
      w.indexLock && "index.lock",
    ];
    const detail = notes.filter(Boolean).join(", ");
    parts.push(`worktree ${w.branch}${detail ? ` (${detail})` : ""}`);
  }
  for (const p of s.incoming) {
    const changes = p.commits.map((c) => c.map(describeChange).join(" ")).join(" | ");
    parts.push(`push ${p.branch} ${p.kind}${changes ? ` [${changes}]` : ""}`);
  }
  return parts.join("; ");
}

function describeChange(change: IncomingChange): string {
  if (change.op === "rename") return `rename ${change.from}->${change.to}`;
  if (change.op === "mode") return `chmod${change.executable ? "+x" : "-x"} ${change.path}`;
  return `${change.op} ${change.path}`;
}
