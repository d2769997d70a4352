/**
 * `gitargus status` without the command parser. The parser (commander) takes some 35 ms to load, a tenth of
 * `status --local` for a hundred repositories. Only plain forms are taken here — the flags the command table
 * declares for `status`, each at most once, values as separate words — and anything else (help, `--host=x`,
 * a misspelt flag, `--verbose`) goes to the parser, which owns every message about a wrong command line.
 */

import type { StatusOptions } from "./commands/status.ts";

const SWITCHES = { "--json": "json", "--local": "local", "--attention": "attention" } as const;
const VALUES = { "--host": "host", "--repo": "repo" } as const;

/** The options of a plain `status` command line (after any `--config FILE`), or null. */
export function plainStatus(argv: readonly string[]): StatusOptions | null {
  if (argv[0] !== "status") return null;
  const options: StatusOptions = {};
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (seen.has(word)) return null;
    seen.add(word);
    if (word in SWITCHES) options[SWITCHES[word as keyof typeof SWITCHES]] = true;
    else if (word in VALUES) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-")) return null;
      options[VALUES[word as keyof typeof VALUES]] = value;
    } else return null;
  }
  return options;
}
