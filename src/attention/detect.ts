/**
 * Which items a state shows. Pure: the daemon feeds in its own repositories as it reads them, the store's
 * snapshot of the other machines, and how long AWS has been out of reach.
 */

import type { RepoStatus } from "../state/repo_status.ts";
import { type AttentionItem, itemId, type ItemKind } from "../state/attention_item.ts";
import type { StoreSnapshot } from "../store/store.ts";
import { attentionKinds } from "../report/attention.ts";
import { hasLocalWork, isOnline, shortReason } from "../report/status_report.ts";

/** Which kinds are raised at all (`notify.kinds`); a kind switched off is neither listed nor delivered. */
export type KindSwitch = (kind: ItemKind) => boolean;

function item(kind: ItemKind, host: string, repo: string | null, summary: string, state: string, now: Date) {
  return { id: itemId(kind, host, repo), kind, host, repo, summary, state, since: now.toISOString() };
}

/** A repository of this machine: a fast-forward held back by local changes, or the repository FAILED. */
export function repositoryItems(
  host: string,
  status: RepoStatus,
  on: KindSwitch,
  now: Date,
): AttentionItem[] {
  const found: AttentionItem[] = [];
  const { sync } = status;
  if (on("blocked") && sync?.result === "blocked" && status.behind > 0) {
    const reason = sync.reason ?? "blocked";
    found.push(
      item(
        "blocked",
        host,
        status.name,
        `${status.name} on ${host}: not fast-forwarded: ${reason}`,
        reason,
        now,
      ),
    );
  }
  if (on("failed") && status.state === "FAILED") {
    const reason = shortReason(status.error ?? sync?.reason ?? "unknown error");
    found.push(item("failed", host, status.name, `${status.name} on ${host} FAILED: ${reason}`, reason, now));
  }
  return found;
}

/** The one-shot item of a fast-forward done here (off by default): announced, never kept as active. */
export function fastForwardItem(host: string, status: RepoStatus, now: Date): AttentionItem {
  const to = status.head ? ` to ${status.head.slice(0, 7)}` : "";
  const branch = status.branch ? ` (${status.branch})` : "";
  return item(
    "fastForwarded",
    host,
    status.name,
    `${status.name}${branch} on ${host} fast-forwarded${to}`,
    status.head ?? "",
    now,
  );
}

export interface OthersSettings {
  self: string;
  on: KindSwitch;
  workAtRiskMinutes: number;
}

/**
 * Work at risk on the other machines, raised once it has been there `workAtRiskMinutes`. How long is the
 * longer of what this daemon saw and what the record says: a record is rewritten only when its state
 * changes, so work recorded two hours ago has been there two hours, even across a restart of this daemon.
 */
export class OtherMachines {
  /** Per `host\0repo`, when this daemon first saw work there, and which kinds of work it was. */
  readonly #firstSeen = new Map<string, { at: number; work: string }>();

  constructor(private readonly settings: OthersSettings) {}

  items(snapshot: StoreSnapshot, now: Date): AttentionItem[] {
    const { self, on, workAtRiskMinutes } = this.settings;
    const records = new Map(snapshot.hosts.map((h) => [h.hostname, h]));
    const found: AttentionItem[] = [];
    const seen = new Set<string>();
    for (const [host, repos] of snapshot.repositories) {
      if (host === self) continue;
      const record = records.get(host);
      const atRisk = repos.filter(hasLocalWork).sort((a, b) => a.name.localeCompare(b.name));
      // A machine that is off cannot be asked to push: one item for the machine instead of one per repository.
      if (record && !isOnline(record, now) && record.mode !== "once") {
        if (on("offlineWithWork") && atRisk.length > 0) {
          const names = atRisk.map((r) => r.name);
          const summary = `${host} is offline with work on it: ${listed(names)}`;
          found.push(item("offlineWithWork", host, null, summary, names.join(","), now));
        }
        continue;
      }
      if (!on("workAtRisk")) continue;
      for (const repo of atRisk) {
        const key = `${host}\0${repo.name}`;
        seen.add(key);
        const work = workKinds(repo);
        const first = this.#firstSeen.get(key);
        const at = first?.work === work ? first.at : now.getTime();
        this.#firstSeen.set(key, { at, work });
        const since = Math.min(at, Date.parse(repo.updatedAt) || at);
        const minutes = Math.floor((now.getTime() - since) / 60_000);
        if (minutes < workAtRiskMinutes) continue;
        const summary = `${repo.name} on ${host}: ${work.replaceAll(",", ", ")} for ${minutes} min`;
        found.push(item("workAtRisk", host, repo.name, summary, work, now));
      }
    }
    for (const key of [...this.#firstSeen.keys()]) if (!seen.has(key)) this.#firstSeen.delete(key);
    return found;
  }
}

/** "uncommitted,unpushed": the kinds of work, coarse on purpose so that every edit is not news. */
function workKinds(repo: RepoStatus): string {
  const work = attentionKinds(repo).filter((k) => k === "uncommitted" || k === "unpushed" || k === "stash");
  return (work.length > 0 ? work : ["unpushed"]).join(",");
}

function listed(names: string[]): string {
  return names.length <= 3
    ? names.join(", ")
    : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

/** This daemon has not reached AWS for `minutes` (or longer): the one item shown while it is offline. */
export function awsUnreachableItem(
  host: string,
  downForMs: number,
  minutes: number,
  on: KindSwitch,
  now: Date,
): AttentionItem | null {
  if (!on("awsUnreachable") || downForMs <= 0 || downForMs < minutes * 60_000) return null;
  const since = new Date(now.getTime() - downForMs);
  const summary = `${host} cannot reach AWS since ${since.toISOString().slice(11, 16)} UTC`;
  return { ...item("awsUnreachable", host, null, summary, "down", now), since: since.toISOString() };
}
