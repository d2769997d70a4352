/**
 * Text from outside (file, ref and repository names, queue messages, git's messages) made safe for a log line
 * or a terminal: whatever could end a line, move the cursor, recolor or reorder what follows is shown as an
 * escape instead, and bytes that are not UTF-8 keep their value as `\xNN`.
 */

/**
 * C0 controls, DEL, C1 controls (U+0080–U+009F: a terminal may read U+009B as the start of a sequence),
 * bidirectional overrides and isolates (they reorder what is displayed after them), line and paragraph
 * separators, and the byte-order mark.
 */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Replaces every unsafe character by a visible escape; everything else, backslashes included, stays. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? codeOf(char));
}

/** True when `escapeText` would change the text. */
export function needsEscape(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

function codeOf(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes git's bytes (a path, a ref name) without losing any: valid UTF-8 as text, every byte of an invalid
 * sequence as `\xNN`. Names that are UTF-8 come back unchanged, so they still work as paths.
 */
export function decodeName(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return decodeLossless(bytes);
  }
}

/** True when these bytes are valid UTF-8, i.e. a Deno string can name them. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeLossless(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${hex(bytes[i]!, 2)}`;
      i++;
    } else {
      out += strict.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const first = bytes[i]!;
  if (first < 0x80) return 1;
  // Lead byte: its length and the range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF).
  let length: number, low = 0x80, high = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) length = 2;
  else if (first >= 0xe0 && first <= 0xef) {
    length = 3;
    if (first === 0xe0) low = 0xa0;
    if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    length = 4;
    if (first === 0xf0) low = 0x90;
    if (first === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
