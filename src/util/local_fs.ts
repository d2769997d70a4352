/**
 * Reads and writes of small local files and folders (git's metadata, the hooks, the config, the outbox) done
 * synchronously behind promise-shaped functions. Each is a syscall of microseconds; through the runtime's
 * thread pool it costs a thread hand-off, and a burst over a thousand repositories (a start-up reads about
 * 150 such entries per repository) makes the pool start dozens of threads, each leaving an allocator arena of
 * its own behind: about 6 MB resident for good at 1,000 repositories. The pre-push hook, a short process,
 * pays most: its first asynchronous file call starts that pool, about 8 ms of a push. Callers keep their
 * promise-based code: a failure is a rejection, as with Deno's asynchronous calls. Work trees and anything
 * that may be large stay asynchronous.
 */

function settle<T>(read: () => T): Promise<T> {
  try {
    return Promise.resolve(read());
  } catch (error) {
    return Promise.reject(error);
  }
}

export function stat(path: string): Promise<Deno.FileInfo> {
  return settle(() => Deno.statSync(path));
}

export function lstat(path: string): Promise<Deno.FileInfo> {
  return settle(() => Deno.lstatSync(path));
}

export function realPath(path: string): Promise<string> {
  return settle(() => Deno.realPathSync(path));
}

export function readTextFile(path: string): Promise<string> {
  return settle(() => Deno.readTextFileSync(path));
}

/** The folder's entries, read in full. */
export function readDir(path: string): Promise<Deno.DirEntry[]> {
  return settle(() => [...Deno.readDirSync(path)]);
}

export function mkdir(path: string, options?: Deno.MkdirOptions): Promise<void> {
  return settle(() => Deno.mkdirSync(path, options));
}

export function writeTextFile(path: string, text: string, options?: Deno.WriteFileOptions): Promise<void> {
  return settle(() => Deno.writeTextFileSync(path, text, options));
}

export function chmod(path: string, mode: number): Promise<void> {
  return settle(() => Deno.chmodSync(path, mode));
}

export function rename(from: string, to: string): Promise<void> {
  return settle(() => Deno.renameSync(from, to));
}

export function remove(path: string): Promise<void> {
  return settle(() => Deno.removeSync(path));
}
