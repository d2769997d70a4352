/**
 * Paths as the bytes git stores. The runner hands back text, so a name that is not valid UTF-8 would reach us
 * through `-z` output already replaced by U+FFFD, and two different names could compare equal. git's C-style
 * quoting (`core.quotePath=true`, output without `-z`) writes every unusual byte as an ASCII escape, so the
 * quoted form is lossless: it is read back here into a key holding one character per byte, and keys compare
 * exactly as the bytes do.
 */

/** One character per byte of the path (each char code is 0..255). */
export type PathKey = string;

/** `-c core.quotePath=true`: put before a command whose output lists paths. */
export const QUOTE_PATHS = ["-c", "core.quotePath=true"] as const;

const ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  "\\": 92,
};

export class QuotedPathError extends Error {}

/** Reads one path as git prints it: bare, or in double quotes with backslash escapes. */
export function readQuotedPath(text: string): PathKey {
  if (!text.startsWith('"')) return text;
  if (text.length < 2 || !text.endsWith('"')) throw new QuotedPathError(`Unterminated quoted path: ${text}`);
  let key = "";
  for (let i = 1; i < text.length - 1; i++) {
    const char = text[i]!;
    if (char !== "\\") {
      key += char;
      continue;
    }
    const next = text[++i] ?? "";
    if (/[0-3]/.test(next)) {
      const octal = text.slice(i, i + 3);
      if (!/^[0-3][0-7]{2}$/.test(octal)) throw new QuotedPathError(`Bad octal escape in path: ${text}`);
      key += String.fromCharCode(parseInt(octal, 8));
      i += 2;
    } else if (next in ESCAPES) {
      key += String.fromCharCode(ESCAPES[next]!);
    } else {
      throw new QuotedPathError(`Unknown escape "\\${next}" in path: ${text}`);
    }
  }
  return key;
}

/** The non-empty lines of a quoted-path listing, one key each. */
export function readPathList(output: string): PathKey[] {
  return output.split("\n").filter(Boolean).map(readQuotedPath);
}

function bytesOf(key: PathKey): Uint8Array {
  const bytes = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) bytes[i] = key.charCodeAt(i);
  return bytes;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();

/** The path as a file-system name, or null when its bytes are not UTF-8 (Deno cannot name such a file). */
export function fileName(key: PathKey): string | null {
  try {
    return strict.decode(bytesOf(key));
  } catch {
    return null;
  }
}

/** The path for a message: decoded, with undecodable bytes shown as U+FFFD. */
export function showPath(key: PathKey): string {
  return lenient.decode(bytesOf(key));
}

/** The key of a path Deno gave us as text. */
export function keyOf(path: string): PathKey {
  return String.fromCharCode(...new TextEncoder().encode(path));
}

/** Every directory above a path: "a/b/c" gives "a" and "a/b". */
export function parentDirectories(key: PathKey): PathKey[] {
  const dirs: PathKey[] = [];
  for (let slash = key.indexOf("/"); slash > 0; slash = key.indexOf("/", slash + 1)) {
    dirs.push(key.slice(0, slash));
  }
  return dirs;
}
