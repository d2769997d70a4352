/**
 * The pre-push hook's modules in one file, for runs from source. On every start Deno reads, checks and loads
 * each module of a program from its caches: for the hook's thirty-odd modules that is about 9 ms inside every
 * `git push` on a slow machine, a fifth of what the hook adds, against about 0.3 ms for one module. A compiled
 * binary serves its modules from memory and runs the hook from main.ts.
 *
 * The bundle is generated (`deno task bundle`) and committed, so a checkout runs it without a build step. Its
 * first line lists the source files it was built from with a digest of their content. The hook is installed
 * to run it only while that digest matches the sources, and main.ts otherwise: an edited checkout never runs
 * stale code in its pushes. A test keeps the committed bundle current.
 *
 * It sits in src/, beside lazy.ts and self.ts, which find other files relative to their own URL: inside the
 * bundle, that is the bundle's URL.
 */

import { join } from "./util/path.ts";
import * as localFs from "./util/local_fs.ts";
import { sha256Hex } from "./util/hash.ts";
import { isCompiled, projectDir, selfCommand } from "./self.ts";
import { V8_FLAGS } from "./permissions.ts";

/** Relative to the project's folder. */
export const BUNDLE_ENTRY = "src/cli/hook_entry.ts";
export const BUNDLE_FILE = "src/hook_entry.bundle.js";

const MARK = "// gitargus-bundle ";

export interface BundleHeader {
  /** Source files inlined in the bundle, relative to the project's folder. */
  inputs: string[];
  /** sha256 of every input's path and content (inputsDigest). */
  digest: string;
}

/** The digest of the inputs as they are now; throws when one cannot be read. */
export async function inputsDigest(project: string, inputs: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const input of [...inputs].sort()) {
    parts.push(`${input}\0${await sha256Hex(await localFs.readTextFile(join(project, input)))}`);
  }
  return await sha256Hex(parts.join("\n"));
}

export function headerLine(header: BundleHeader): string {
  return `${MARK}${JSON.stringify(header)}`;
}

/** The header of a bundle's text; null when it has none or it is damaged. */
export function parseHeader(text: string): BundleHeader | null {
  const first = text.slice(0, text.indexOf("\n"));
  if (!first.startsWith(MARK)) return null;
  try {
    const header = JSON.parse(first.slice(MARK.length)) as Partial<BundleHeader>;
    const inputs = header.inputs;
    if (typeof header.digest !== "string" || !Array.isArray(inputs) || inputs.length === 0) return null;
    if (
      !inputs.every((input) => typeof input === "string" && !input.startsWith("/") && !input.includes(".."))
    ) {
      return null;
    }
    return { inputs, digest: header.digest };
  } catch {
    return null;
  }
}

/** Why the bundle under `project` cannot be used, or null when it matches the sources. */
export async function bundleProblem(project: string): Promise<string | null> {
  let text: string;
  try {
    text = await localFs.readTextFile(join(project, BUNDLE_FILE));
  } catch {
    return `${BUNDLE_FILE} is missing`;
  }
  const header = parseHeader(text);
  if (!header) return `${BUNDLE_FILE} has no valid header`;
  const now = await inputsDigest(project, header.inputs).catch(() => null);
  return now === header.digest ? null : `${BUNDLE_FILE} is older than its sources`;
}

/** What the pre-push hook runs: the compiled binary, or from source the bundle while it is current. */
export async function prePushProgram(): Promise<string[]> {
  const self = selfCommand();
  if (isCompiled()) return self;
  const project = projectDir();
  if (await bundleProblem(project) !== null) return self;
  // Compiled in full the first time and kept so in Deno's code cache: the hook calls most of its functions
  // once, and V8 would otherwise compile each of them on that call, in every push (about 2 ms of it).
  const flags = self.slice(0, -1).map((flag) => flag === V8_FLAGS ? `${V8_FLAGS},--no-lazy` : flag);
  return [...flags, join(project, BUNDLE_FILE)];
}
