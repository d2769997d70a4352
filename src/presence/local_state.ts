/**
 * This host's repository states as the daemon last recorded them, in one file beside the config
 * (`~/.gitargus/state/<host>.json`), so a shell prompt can ask "is anything at risk here?" without running
 * git or reaching AWS. Each state carries the mtimes of its repository's git metadata folders taken when it
 * was recorded (src/git/metadata_dirs.ts): a reader trusts a state only while those are unchanged and the
 * daemon, which sees working-tree edits as they happen, still runs.
 */

import type { RepoStatus } from "../state/repo_status.ts";
import type { GitDirs } from "../git/metadata_dirs.ts";
import { metadataMarks, pathKeyed } from "../git/metadata_dirs.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { Coalescer } from "../util/coalescer.ts";

export const LOCAL_STATE_VERSION = 1;

export interface LocalStateEntry {
  status: RepoStatus;
  /** Null for a repository that was not found: then the mark is its folder, which appears when cloned. */
  dirs: GitDirs | null;
  marks: Record<string, number | null>;
}

export interface LocalStateFile {
  version: number;
  hostname: string;
  /** The config file the daemon runs with: another config's daemon does not vouch for this one. */
  config: string;
  writtenAt: string;
  repositories: Record<string, LocalStateEntry>;
}

/** How long records gather before the file is written: a full update is a handful of writes, not hundreds. */
const GATHER_MS = 100;

/** The daemon's side: told every state it records, writes the file atomically shortly after. */
export class LocalStateWriter {
  readonly #entries = new Map<string, LocalStateEntry>();
  readonly #writes: Coalescer;
  #failure: string | null = null;

  constructor(
    readonly path: string,
    private readonly owner: { hostname: string; config: string },
    private readonly onError: (message: string) => void = () => {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.#writes = new Coalescer(() => this.#write());
  }

  /** Takes the marks now, right after the state was read; never throws, the write happens later. */
  async record(status: RepoStatus, dirs: GitDirs | null): Promise<void> {
    try {
      const marks = await marksOf(status, dirs);
      this.#entries.set(status.name, { status, dirs, marks });
      void this.#writes.run();
    } catch (error) {
      this.#failed(error);
    }
  }

  forget(name: string): void {
    if (this.#entries.delete(name)) void this.#writes.run();
  }

  /** Waits for the writes asked for so far (at stop, so the file holds the last states). */
  async flush(): Promise<void> {
    await this.#writes.idle();
  }

  async #write(): Promise<void> {
    await this.sleep(GATHER_MS);
    const file: LocalStateFile = {
      version: LOCAL_STATE_VERSION,
      hostname: this.owner.hostname,
      config: this.owner.config,
      writtenAt: new Date().toISOString(),
      repositories: Object.fromEntries(this.#entries),
    };
    try {
      // Only this user's: the states name files and branches.
      await writeFileAtomic(this.path, JSON.stringify(file), { mode: 0o600 });
      this.#failure = null;
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    const message = (error as Error).message;
    // Once per cause: a read-only home would otherwise log at every state.
    if (message !== this.#failure) this.onError(message);
    this.#failure = message;
  }
}

export function marksOf(
  status: Pick<RepoStatus, "path">,
  dirs: GitDirs | null,
): Promise<Record<string, number | null>> {
  if (dirs) return metadataMarks(dirs);
  const marks = pathKeyed();
  return Deno.stat(status.path).then((s) => s.mtime?.getTime() ?? null, () => null).then((time) => {
    marks[status.path] = time;
    return marks;
  });
}

/** The file as written, or why it cannot be used; a damaged file is not an error, only a reason to read git. */
export async function readLocalState(path: string): Promise<LocalStateFile | string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "no cached state yet" : "the cached state cannot be read";
  }
  try {
    const file = JSON.parse(text) as Partial<LocalStateFile>;
    if (file.version !== LOCAL_STATE_VERSION || typeof file.repositories !== "object" || !file.repositories) {
      return "the cached state is of another version";
    }
    for (const entry of Object.values(file.repositories)) {
      if (typeof entry?.status?.name !== "string" || typeof entry.marks !== "object") {
        return "the cached state is damaged";
      }
    }
    return file as LocalStateFile;
  } catch {
    return "the cached state is damaged";
  }
}

/** True while nothing in the repository's git metadata moved since the entry was recorded. */
export async function stillCurrent(entry: LocalStateEntry): Promise<boolean> {
  const now = await marksOf(entry.status, entry.dirs).catch(() => null);
  return now !== null && sameMarks(now, entry.marks);
}

function sameMarks(a: Record<string, number | null>, b: Record<string, number | null>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key]);
}
