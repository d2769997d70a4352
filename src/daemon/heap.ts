/** Handing memory back to the system after the daemon's bursts (the start-up, a read of every machine). */

import { LIBC_PATHS } from "../permissions.ts";

/** The start-up full update leaves the largest heap the daemon will have; return it before idling. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
  trimAllocator();
}

type Trim = () => void;
let trim: Trim | null | undefined;

/**
 * glibc keeps the pages of freed memory inside its heap for reuse, so a burst's peak would stay resident for
 * the daemon's whole life; `malloc_trim` gives them back. Best effort: where there is no glibc at a known
 * path (macOS, musl) or the permission is missing, nothing happens.
 */
export function trimAllocator(): boolean {
  trim ??= openTrim();
  trim?.();
  return trim !== null;
}

function openTrim(): Trim | null {
  if (Deno.build.os !== "linux") return null;
  for (const path of LIBC_PATHS) {
    try {
      const libc = Deno.dlopen(path, { malloc_trim: { parameters: ["usize"], result: "i32" } });
      return () => void libc.symbols.malloc_trim(0n);
    } catch {
      // Not there, or not allowed: the next path.
    }
  }
  return null;
}
