/** `status --attention`: the items this machine's daemon keeps, below the table. */

import { type AttentionItem, KIND_TITLES } from "../state/attention_item.ts";
import type { StatusReport } from "../report/status_report.ts";
import { age } from "../report/status_report.ts";
import { type Palette, safe } from "./output.ts";

/** The items of `localHost`'s record: another daemon's list tells about the same machines again. */
export function localItems(report: StatusReport, localHost: string): AttentionItem[] {
  return report.hosts.find((h) => h.hostname === localHost)?.attention ?? [];
}

/** "Attention (desktop's daemon):" and one line per item, its kind, what and since when; [] for none. */
export function renderItems(items: readonly AttentionItem[], localHost: string, now: Date, paint: Palette) {
  if (items.length === 0) return [];
  const width = Math.max(...items.map((i) => KIND_TITLES[i.kind].length));
  return [
    `Attention (${safe(localHost)}'s daemon):`,
    ...items.map((i) =>
      `  ${paint.yellow(KIND_TITLES[i.kind].padEnd(width))}  ${safe(i.summary)} (${age(i.since, now)} ago)`
    ),
  ];
}
