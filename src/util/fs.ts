import * as localFs from "./local_fs.ts";
import { basename, dirname, join } from "./path.ts";

/** True when something (file, directory, link) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await localFs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file so that readers see the old content or the new, never a half-written file: a temp file in the
 * same folder, then a rename over the target. `mode` defaults to the existing file's (else 0644). For small
 * files only (configs, caches, hooks, outbox entries): the calls are synchronous (./local_fs.ts).
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  const dir = dirname(path);
  await localFs.mkdir(dir, { recursive: true });
  const mode = options.mode ??
    await localFs.stat(path).then((info) => (info.mode ?? 0o644) & 0o7777, () => 0o644);
  const temp = join(dir, `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await localFs.writeTextFile(temp, text, { mode });
    await localFs.chmod(temp, mode);
    await localFs.rename(temp, path);
  } catch (error) {
    await localFs.remove(temp).catch(() => {});
    throw error;
  }
}

/** Every folder and file below `root` (itself included among the folders), without following links. */
export async function listTree(root: string): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    try {
      for (const entry of await localFs.readDir(dir)) {
        const path = join(dir, entry.name);
        if (entry.isDirectory) stack.push(path);
        else files.push(path);
      }
      dirs.push(dir);
    } catch {
      // Gone, or never there: nothing below it.
    }
  }
  return { dirs, files: files.sort() };
}
