/**
 * The YAML side of the config: parse the text, refuse what is not a mapping, and map a key path back to the
 * line it was written on so every error can point at it.
 */

import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { Alias, Document, Node, Range } from "yaml";
import { ConfigError } from "../errors.ts";

/** The YAML library's own guard: far beyond any real config, far below exhausting memory. */
const MAX_ALIAS_COUNT = 100;

/** A key path such as `["repositories", 2, "name"]`. */
export type KeyPath = readonly (string | number)[];

/** 1-based line of the key (or list item) at `path`, or undefined when the file has no such key. */
export type Locate = (path: KeyPath) => number | undefined;

export interface ConfigSource {
  /** Plain data as the YAML describes it; a mapping at the top level. */
  raw: Record<string, unknown>;
  locate: Locate;
}

/** Parses config text. Throws ConfigError for syntax errors, an empty file, or a top level that is no mapping. */
export function parseConfigSource(text: string, file: string): ConfigSource {
  const { doc, lineCounter } = parseYaml(text, file);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError(file, 'the file is empty; expected a mapping such as "root: ~/Workspace"');
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? "a list" : "a single value";
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? 0).line;
    throw new ConfigError(file, `expected a mapping of keys at the top level, got ${kind}`, undefined, line);
  }
  return { raw: expandAliases(doc, lineCounter, file), locate: locator(doc, lineCounter) };
}

/** Aliases are expanded here; a few lines that multiply into millions of values ("billion laughs") stop. */
function expandAliases(doc: Document, lineCounter: LineCounter, file: string): Record<string, unknown> {
  const unresolved = unresolvedAlias(doc);
  if (unresolved) {
    const line = lineCounter.linePos(unresolved.range?.[0] ?? 0).line;
    const detail =
      `alias "*${unresolved.source}" refers to no anchor "&${unresolved.source}" defined before it`;
    throw new ConfigError(file, detail, undefined, line);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const detail = `aliases expand to too many values (more than ${MAX_ALIAS_COUNT} per alias); ` +
      "write the values out instead";
    throw new ConfigError(file, detail, undefined, undefined, { cause: error });
  }
}

function unresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** Parses YAML, keeping comments and positions. Throws ConfigError for the first syntax error. */
export function parseYaml(text: string, file: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const opened = syntax.pos[0] >= text.trimEnd().length ? openedBefore(doc, syntax.pos[0]) : undefined;
    const at = lineCounter.linePos(opened ?? syntax.pos[0]);
    const reason = syntax.message.split("\n")[0] + (opened === undefined ? "" : " (the file ends before it)");
    const detail = `YAML syntax error at line ${at.line}, column ${at.col}: ${reason}`;
    throw new ConfigError(file, detail, undefined, at.line, { cause: syntax });
  }
  return { doc, lineCounter };
}

/**
 * An unclosed quote or bracket is noticed only at the end of the file; where it was opened is what helps.
 * That is the start of the innermost value running up to the end.
 */
function openedBefore(doc: Document, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, (_key, node) => {
    const range = (node as Node).range;
    if (node === doc.contents || !range || range[1] < end) return;
    if (start === undefined || range[0] > start) start = range[0];
  });
  return start;
}

/** Finds the node at a key path and returns the line of its key (for mappings) or of the item (for lists). */
export function locator(doc: Document, lineCounter: LineCounter): Locate {
  const lineOf = (range: Range | null | undefined) => range ? lineCounter.linePos(range[0]).line : undefined;
  return (path) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) =>
          isScalar(item.key) && String(item.key.value) === String(segment)
        );
        if (!pair) return undefined;
        line = lineOf((pair.key as Node).range);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) return undefined;
        line = lineOf((item as Node | null)?.range);
        node = item;
      } else {
        return undefined;
      }
    }
    return line ?? lineOf((doc.contents as Node | null)?.range);
  };
}
