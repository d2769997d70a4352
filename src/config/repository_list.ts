/**
 * `gitargus add` and `gitargus remove`: the `repositories` list edited in place. Comments, the order of the
 * other entries, per-repository settings (`{ name, autoPull }`) and every other key keep their text.
 */

import { type Document, isMap, isScalar, isSeq, type YAMLSeq } from "yaml";
import { ConfigError, UsageError } from "../errors.ts";
import { parseYaml } from "./source.ts";
import { matchesRepo } from "./repository_name.ts";

const TO_STRING = { lineWidth: 0 } as const;

export interface ListEdit {
  text: string;
  /** Names that changed the list. */
  changed: string[];
  /** Names that were already there (add) — nothing to do. */
  unchanged: string[];
}

export function addRepositories(text: string, file: string, names: readonly string[]): ListEdit {
  const { doc, seq } = openList(text, file);
  const present = new Set(entryNames(seq, file));
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const name of names) {
    if (present.has(name)) unchanged.push(name);
    else {
      seq.add(doc.createNode(name));
      present.add(name);
      changed.push(name);
    }
  }
  return { text: changed.length ? doc.toString(TO_STRING) : text, changed, unchanged };
}

/**
 * `init` over an existing config: the found repositories are added to the list, root (and the host name, when
 * given) are set, and everything else — comments, `autoPull`, `timezone`, `daemon`, `aws` — stays. Null when
 * the text is not a config that can be edited (then init writes a new one).
 */
export function mergeFound(
  text: string,
  file: string,
  found: { root: string; hostname?: string | undefined; repositories: readonly string[] },
): ListEdit | null {
  let opened: { doc: Document; seq: YAMLSeq };
  try {
    opened = openList(text, file);
    entryNames(opened.seq, file);
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
  const { doc } = opened;
  const root = doc.get("root", true);
  if (isScalar(root)) root.value = found.root;
  else doc.set("root", found.root);
  if (found.hostname !== undefined) {
    const host = doc.get("hostname", true);
    if (isScalar(host)) host.value = found.hostname;
    else doc.set("hostname", found.hostname);
  }
  const edit = addRepositories(doc.toString(TO_STRING), file, found.repositories);
  return edit;
}

/** Each wanted name must match exactly one entry (its full name, or its last part when that is unique). */
export function removeRepositories(text: string, file: string, wanted: readonly string[]): ListEdit {
  const { doc, seq } = openList(text, file);
  const names = entryNames(seq, file);
  const doomed = new Set<string>();
  for (const want of wanted) {
    const exact = names.includes(want) ? [want] : names.filter((n) => matchesRepo(n, want));
    if (exact.length === 0) {
      const known = names.length ? names.join(", ") : "none";
      throw new UsageError(`No configured repository named ${JSON.stringify(want)}; configured: ${known}`);
    }
    if (exact.length > 1) {
      throw new UsageError(`${JSON.stringify(want)} matches ${exact.join(", ")}; give the full name`);
    }
    doomed.add(exact[0]!);
  }
  for (let i = seq.items.length - 1; i >= 0; i--) {
    if (doomed.has(entryName(seq.items[i], file, i))) seq.delete(i);
  }
  return { text: doc.toString(TO_STRING), changed: [...doomed], unchanged: [] };
}

function openList(text: string, file: string): { doc: Document; seq: YAMLSeq } {
  const { doc } = parseYaml(text, file);
  if (!isMap(doc.contents)) {
    throw new ConfigError(file, "cannot edit: the top level is not a mapping of keys", undefined, 1);
  }
  const existing = doc.get("repositories", true);
  if (existing === undefined || (isScalar(existing) && existing.value === null)) {
    doc.set("repositories", doc.createNode([]));
  } else if (!isSeq(existing)) {
    throw new ConfigError(file, "cannot edit: expected a list of repository names", "repositories");
  }
  return { doc, seq: doc.get("repositories", true) as YAMLSeq };
}

function entryNames(seq: YAMLSeq, file: string): string[] {
  return seq.items.map((item, i) => entryName(item, file, i));
}

/** A list item is a name or a mapping with `name`; anything else is a config error the loader also reports. */
function entryName(item: unknown, file: string, index: number): string {
  if (isScalar(item) && typeof item.value === "string") return item.value;
  if (isMap(item)) {
    const name = item.get("name");
    if (typeof name === "string") return name;
  }
  throw new ConfigError(file, "cannot edit: expected a repository name", `repositories[${index}]`);
}
