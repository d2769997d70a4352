/**
 * The active items, by source: each source (one repository of this machine, the other machines, the AWS
 * connection) says what it shows now, and the tracker turns that into changes — raised, changed (the same
 * item in a new state), cleared. Seeing the same item again is no change, so nobody is told twice.
 */

import type { AttentionItem } from "../state/attention_item.ts";

export type ChangeKind = "raised" | "changed" | "cleared";

export interface ItemChange {
  change: ChangeKind;
  item: AttentionItem;
}

export type ChangeListener = (changes: ItemChange[]) => void;

export class AttentionTracker {
  readonly #sources = new Map<string, Map<string, AttentionItem>>();
  readonly #listeners: ChangeListener[] = [];

  onChange(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  /** Replaces what `source` shows; returns (and tells the listeners) what changed. */
  set(source: string, items: readonly AttentionItem[]): ItemChange[] {
    const before = this.#sources.get(source) ?? new Map<string, AttentionItem>();
    const after = new Map<string, AttentionItem>();
    const changes: ItemChange[] = [];
    for (const next of items) {
      const earlier = before.get(next.id);
      if (!earlier) {
        after.set(next.id, next);
        changes.push({ change: "raised", item: next });
      } else if (earlier.state !== next.state || earlier.summary !== next.summary) {
        // Still the same item: it keeps the time it appeared.
        const kept = { ...next, since: earlier.since };
        after.set(next.id, kept);
        if (earlier.state !== next.state) changes.push({ change: "changed", item: kept });
      } else {
        after.set(next.id, earlier);
      }
    }
    for (const [id, earlier] of before) {
      if (!after.has(id)) changes.push({ change: "cleared", item: earlier });
    }
    if (after.size > 0) this.#sources.set(source, after);
    else this.#sources.delete(source);
    if (changes.length > 0) { for (const listener of this.#listeners) listener(changes); }
    return changes;
  }

  /** Sources other than those `keep` accepts are cleared (a repository removed from the config). */
  prune(keep: (source: string) => boolean): void {
    for (const source of [...this.#sources.keys()]) if (!keep(source)) this.set(source, []);
  }

  /** One-shot items (a fast-forward done here): told as raised, never kept. */
  announce(item: AttentionItem): void {
    for (const listener of this.#listeners) listener([{ change: "raised", item }]);
  }

  active(): AttentionItem[] {
    return [...this.#sources.values()].flatMap((items) => [...items.values()])
      .sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
  }

  has(id: string): boolean {
    return [...this.#sources.values()].some((items) => items.has(id));
  }
}
