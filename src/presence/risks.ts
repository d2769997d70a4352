/**
 * What in one repository no other machine can get, each with the command that saves it or shows it. Whether
 * a repository is at risk is decided by its attention kinds (src/report/attention.ts); this only spells out
 * the pieces and what to run for each.
 */

import { join } from "../util/path.ts";
import type { RepoStatus } from "../state/repo_status.ts";
import { attentionKinds } from "../report/attention.ts";
import { dirtySummary, shortReason, unpushedNote, worktreeNote } from "../report/status_report.ts";

export const RISK_KINDS = [
  "operation",
  "uncommitted",
  "worktree",
  "unpushed",
  "never-pushed",
  "upstream-gone",
  "detached",
  "stash",
  "unreadable",
  "unannounced",
] as const;
export type RiskKind = typeof RISK_KINDS[number];

/** A command to run: git in a folder (`git -C DIR ...`), or this program. */
export interface Remedy {
  program: "git" | "gitargus";
  /** For git: the folder it runs in (absolute). */
  dir?: string;
  args: string[];
}

export interface Risk {
  kind: RiskKind;
  /** As `status` words it: "topic +3 never pushed", "1~ 2? uncommitted". */
  detail: string;
  remedies: Remedy[];
  branch?: string;
  commits?: number;
}

/** Attention kinds that mean work exists only here; the others (behind, missing, diverged alone) do not. */
const AT_RISK = new Set(["conflict", "operation", "failed", "uncommitted", "unpushed", "stash"]);

export function isAtRisk(repo: RepoStatus): boolean {
  return risksOf(repo).length > 0;
}

export function risksOf(repo: RepoStatus): Risk[] {
  const kinds = new Set(attentionKinds(repo).filter((kind) => AT_RISK.has(kind)));
  if (kinds.size === 0) return [];
  const git = (...args: string[]): Remedy => ({ program: "git", dir: repo.path, args });
  const show = git("status");
  // A record that could not be read at all holds nothing to list: only git can say what is there.
  if (repo.state === "FAILED" && repo.head === null) {
    return [{
      kind: "unreadable",
      detail: `could not be read: ${shortReason(repo.error ?? "")}`,
      remedies: [show],
    }];
  }
  const risks: Risk[] = [];
  if (repo.operation) {
    risks.push({ kind: "operation", detail: `${repo.operation} in progress`, remedies: [show] });
  }
  if (!repo.clean) {
    // A snapshot on the remote carries the work to another machine without committing it.
    const carry: Remedy = { program: "gitargus", args: ["wip", "save", repo.name] };
    risks.push({ kind: "uncommitted", detail: `${dirtySummary(repo)} uncommitted`, remedies: [show, carry] });
  }
  for (const worktree of repo.worktrees ?? []) {
    risks.push({
      kind: "worktree",
      detail: worktreeNote(worktree),
      remedies: [{ program: "git", dir: join(repo.path, worktree.path), args: ["status"] }],
    });
  }
  risks.push(...currentBranchRisks(repo, git));
  for (const branch of repo.unpushedBranches) {
    const remote = remoteOf(branch.upstream);
    risks.push({
      kind: branch.upstream === null ? "never-pushed" : branch.gone ? "upstream-gone" : "unpushed",
      detail: unpushedNote(branch),
      remedies: [
        branch.upstream === null || branch.gone
          ? git("push", "-u", remote, branch.name)
          : git("push", remote, branch.name),
      ],
      branch: branch.name,
      commits: branch.ahead,
    });
  }
  if (repo.stashes > 0) {
    const detail = `${repo.stashes} stash${repo.stashes > 1 ? "es" : ""}`;
    risks.push({ kind: "stash", detail, remedies: [git("stash", "list")] });
  }
  return risks;
}

function currentBranchRisks(repo: RepoStatus, git: (...args: string[]) => Remedy): Risk[] {
  const branch = repo.branch;
  const onNoRemote = repo.unpushedCommits ?? 0;
  if (branch === null) {
    if (onNoRemote === 0) return [];
    const plural = onNoRemote > 1 ? "s" : "";
    return [{
      kind: "detached",
      detail: `${onNoRemote} commit${plural} on no branch or remote`,
      // A branch keeps them when HEAD moves on; a name from the commit makes the command concrete.
      remedies: [git("switch", "-c", `keep-${(repo.head ?? "").slice(0, 7)}`)],
      commits: onNoRemote,
    }];
  }
  if (onNoRemote > 0) {
    const gone = repo.upstream !== null;
    return [{
      kind: gone ? "upstream-gone" : "never-pushed",
      detail: unpushedNote({
        name: branch,
        upstream: repo.upstream,
        ahead: onNoRemote,
        ...(gone && { gone }),
      }),
      remedies: [git("push", "-u", remoteOf(repo.upstream), branch)],
      branch,
      commits: onNoRemote,
    }];
  }
  if (repo.ahead === 0 || repo.upstream === null) return [];
  const behind = repo.behind > 0 ? `, ${repo.behind} behind` : "";
  return [{
    kind: "unpushed",
    detail: `${branch} +${repo.ahead} unpushed${behind}`,
    // Diverged: the remote refuses the push until the other machine's commits are taken in.
    remedies: repo.behind > 0 ? [git("pull"), git("push")] : [git("push")],
    branch,
    commits: repo.ahead,
  }];
}

/** "origin/topic" -> "origin"; a branch that never had an upstream goes to the usual remote. */
function remoteOf(upstream: string | null): string {
  const slash = upstream?.indexOf("/") ?? -1;
  return upstream && slash > 0 ? upstream.slice(0, slash) : "origin";
}

/** Every remedy once, in the order the risks name them. */
export function remediesOf(risks: readonly Risk[]): Remedy[] {
  const seen = new Set<string>();
  return risks.flatMap((risk) => risk.remedies).filter((remedy) => {
    const key = JSON.stringify(remedy);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
