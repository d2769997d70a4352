/**
 * Notices pushes made from this machine that nobody announced (`git push --no-verify`, a repository without the
 * hook, a hook that was interrupted): git records them in the remote-tracking ref's reflog as "update by push".
 */

import { refsSignature } from "../git/branch_cache.ts";
import type { BranchInfo, RepoLocation } from "../git/repo.ts";
import type { GitRunner } from "../git/runner.ts";

export interface DetectedPush {
  remote: string;
  refs: Array<{ ref: string; sha: string }>;
}

interface Seen {
  signature: string;
  tracking: Map<string, string>;
}

export class PushDetector {
  readonly #seen = new Map<string, Seen>();

  /** Pushes before `since` (the daemon's start) were the hook's business, or the previous daemon's. */
  constructor(private readonly runner: GitRunner, private readonly since: Date) {}

  /** `branches` is asked for only when the refs changed since the last call: most calls cost a few stats. */
  async detect(location: RepoLocation, branches: () => Promise<BranchInfo[]>): Promise<DetectedPush[]> {
    const signature = await refsSignature(location);
    const previous = this.#seen.get(location.gitDir);
    if (previous?.signature === signature) return [];
    const tracking = await this.#tracking(location);
    this.#seen.set(location.gitDir, { signature, tracking });
    if (!previous) return [];
    const remotes = new Set(
      (await branches()).map((b) => b.remote).filter((r): r is string => !!r && r !== "."),
    );
    const found = new Map<string, DetectedPush>();
    for (const [ref, sha] of tracking) {
      if (previous.tracking.get(ref) === sha) continue;
      const remote = [...remotes].find((r) => ref.startsWith(`refs/remotes/${r}/`));
      if (!remote || ref.endsWith("/HEAD")) continue;
      if (!await this.#pushedAfterStart(location, ref, sha)) continue;
      const push = found.get(remote) ?? { remote, refs: [] };
      push.refs.push({ ref: `refs/heads/${ref.slice(`refs/remotes/${remote}/`.length)}`, sha });
      found.set(remote, push);
    }
    return [...found.values()];
  }

  async #tracking(location: RepoLocation): Promise<Map<string, string>> {
    const { stdout } = await this.runner.run([
      "for-each-ref",
      "--format=%(refname)%00%(objectname)",
      "refs/remotes",
    ], {
      cwd: location.path,
    });
    return new Map(stdout.split("\n").filter(Boolean).map((line) => line.split("\0") as [string, string]));
  }

  async #pushedAfterStart(location: RepoLocation, ref: string, sha: string): Promise<boolean> {
    const { stdout, code } = await this.runner.run(
      ["reflog", "show", "-n", "1", "--date=unix", "--format=%H%x00%gs%x00%gd", "--end-of-options", ref],
      { cwd: location.path, allowFailure: true },
    );
    if (code !== 0) return false;
    const [head = "", subject = "", selector = ""] = stdout.trim().split("\0");
    const seconds = Number(/@\{(\d+)\}$/.exec(selector)?.[1]);
    return head === sha && subject.startsWith("update by push") &&
      seconds * 1000 >= this.since.getTime() - 1000;
  }
}
