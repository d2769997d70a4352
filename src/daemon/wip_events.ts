/**
 * Push events of `gitargus wip` snapshot refs. A snapshot another machine saved needs nothing here: its own
 * record says it exists. A snapshot of this machine's that another one dropped takes its local copy with it,
 * so this machine's record stops offering it — but only once the remote shows it gone, since this machine
 * may have saved again after the drop was sent.
 */

import type { GitRunner } from "../git/runner.ts";
import type { RepoLocation } from "../git/repo.ts";
import type { Logger } from "../log/logger.ts";
import type { PushEvent } from "../events/push_event.ts";
import { isDeletion } from "../events/ref_format.ts";
import { escapeText } from "../util/escape.ts";
import { snapshotRemoteOrNull, WIP_NAMESPACE } from "../wip/mod.ts";

export interface WipEventDeps {
  runner: GitRunner;
  log: Logger;
  hostname: string;
  locate: (name: string) => Promise<RepoLocation | null>;
  refresh: (name: string) => Promise<void>;
}

export class WipEvents {
  constructor(private readonly deps: WipEventDeps) {}

  async handle(event: PushEvent): Promise<void> {
    const { log, hostname } = this.deps;
    const named = { repository: escapeText(event.repository), source: escapeText(event.source) };
    const own = `${WIP_NAMESPACE}${hostname}/`;
    const dropped = event.refs.filter((r) => r.ref.startsWith(own) && isDeletion(r.sha));
    for (const r of event.refs.filter((r) => !dropped.includes(r))) {
      const what = isDeletion(r.sha) ? "dropped" : "saved";
      log.info(`{source} ${what} work in progress of {repository}: {ref}`, {
        ...named,
        ref: escapeText(r.ref),
      });
    }
    if (dropped.length === 0) return;
    try {
      const location = await this.deps.locate(event.repository);
      if (!location) return;
      let removed = false;
      for (const { ref } of dropped) removed = await this.#forgetIfGone(location, ref) || removed;
      if (removed) await this.deps.refresh(event.repository);
    } catch (error) {
      log.warn("Cannot apply the drop of a snapshot of {repository}: {error}", {
        ...named,
        error: (error as Error).message,
      });
    }
  }

  async #forgetIfGone(location: RepoLocation, ref: string): Promise<boolean> {
    const { runner, log } = this.deps;
    const local = await runner.run(["rev-parse", "--verify", "--quiet", ref], {
      cwd: location.path,
      allowFailure: true,
    });
    const sha = local.stdout.trim();
    if (local.code !== 0 || !sha) return false;
    const remote = await snapshotRemoteOrNull(runner, location);
    if (remote === null) return false;
    const listed = await runner.run(["ls-remote", "--", remote, ref], {
      cwd: location.path,
      timeoutMs: 30_000,
    });
    if (listed.stdout.trim() !== "") return false;
    // Only the copy that was there when the remote was asked: a save in the meantime keeps its own.
    await runner.run(["update-ref", "-d", ref, sha], { cwd: location.path });
    log.info("Work in progress {ref} of {repository} was dropped elsewhere; its local copy is gone too", {
      ref: escapeText(ref),
      repository: escapeText(location.name),
    });
    return true;
  }
}
