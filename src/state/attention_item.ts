/**
 * An attention item: something a person should act on, raised by a daemon when it appears and cleared when
 * it is resolved. The daemon keeps its active items in its host record (`attention`), so `status` and the
 * dashboard list them; notifications and event hooks are told when one is raised, changes or clears.
 */

export const ITEM_KINDS = [
  "blocked",
  "failed",
  "workAtRisk",
  "offlineWithWork",
  "awsUnreachable",
  "fastForwarded",
] as const;
export type ItemKind = typeof ITEM_KINDS[number];

export interface AttentionItem {
  /** `<kind>:<host>` or `<kind>:<host>:<repository>`: one item per thing, however often it is seen. */
  id: string;
  kind: ItemKind;
  /** The machine the item is about (another one's for work at risk and offline machines). */
  host: string;
  repo: string | null;
  /** One line saying what it is and where. */
  summary: string;
  /** What the item is now: when this changes, the item is news again (a new notification). */
  state: string;
  /** When the daemon raised it (ISO-8601 UTC). */
  since: string;
}

/** Most items a host record carries: a record stays far below the store's item size limit. */
export const MAX_RECORDED_ITEMS = 100;

/** A heading per kind, for notifications and `status --attention`. */
export const KIND_TITLES: Record<ItemKind, string> = {
  blocked: "Fast-forward blocked",
  failed: "Repository failed",
  workAtRisk: "Work at risk on another machine",
  offlineWithWork: "Machine offline with work on it",
  awsUnreachable: "AWS unreachable",
  fastForwarded: "Fast-forwarded",
};

export function itemId(kind: ItemKind, host: string, repo: string | null = null): string {
  return repo === null ? `${kind}:${host}` : `${kind}:${host}:${repo}`;
}
