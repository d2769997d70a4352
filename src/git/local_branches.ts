/**
 * The names of a repository's local branches, read from its refs on disk. `status` needs `for-each-ref` only
 * for branches other than the checked-out one; when there are none, these few reads spare that git process.
 * Null when the refs are kept in a format read here only by git (reftable).
 */

import * as localFs from "../util/local_fs.ts";

export async function localBranchNames(commonDir: string): Promise<string[] | null> {
  if (await localFs.stat(`${commonDir}/reftable`).then(() => true, () => false)) return null;
  const names = new Set<string>();
  const packed = await localFs.readTextFile(`${commonDir}/packed-refs`).catch(() => "");
  for (const line of packed.split("\n")) {
    const ref = /^[0-9a-f]{40,64} refs\/heads\/(.+)$/.exec(line)?.[1];
    if (ref) names.add(ref);
  }
  try {
    await loose(`${commonDir}/refs/heads`, "", names);
  } catch {
    return null;
  }
  return [...names];
}

async function loose(dir: string, prefix: string, into: Set<string>): Promise<void> {
  for (const entry of await localFs.readDir(dir)) {
    if (entry.isDirectory) await loose(`${dir}/${entry.name}`, `${prefix}${entry.name}/`, into);
    else if (entry.isFile && !entry.name.endsWith(".lock")) into.add(prefix + entry.name);
  }
}
