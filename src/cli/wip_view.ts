/** How `gitargus wip list` and `wip show` print. */

import type { ListedWip } from "../wip/mod.ts";
import type { SnapshotFile } from "../wip/mod.ts";
import { age } from "../report/status_report.ts";
import { type Palette, safe, table } from "./output.ts";

export function renderWipList(listed: readonly ListedWip[], now: Date, paint: Palette): string {
  if (listed.length === 0) return "No machine has saved work in progress (gitargus wip save).";
  const rows = listed.map((w) => [
    safe(w.host),
    safe(w.repo),
    safe(w.branch),
    `${age(w.savedAt, now)} ago`,
    String(w.files),
    w.commit.slice(0, 7),
  ]);
  return table(["HOST", "REPOSITORY", "BRANCH", "SAVED", "FILES", "COMMIT"], rows, paint);
}

/** `--json`: the list as the store records it, one object per snapshot. */
export function wipJson(listed: readonly ListedWip[]): unknown {
  return { snapshots: listed };
}

/** "staged   modified  src/app.ts", "untracked added  notes.md", "unstaged renamed  old.txt -> new.txt". */
export function describeFile(file: SnapshotFile): string {
  const path = file.from ? `${safe(file.from)} -> ${safe(file.path)}` : safe(file.path);
  return `${file.where.padEnd(9)} ${file.change.padEnd(8)} ${path}${file.binary ? " (binary)" : ""}`;
}
