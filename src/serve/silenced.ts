/**
 * Attention items a user silenced from the dashboard, per machine and repository. The choice belongs to the
 * person at this machine, so it is kept in a file here rather than in the shared store.
 */

import { writeFileAtomic } from "../util/fs.ts";

export interface Silenced {
  host: string;
  repo: string;
}

export class SilenceList {
  #items: Silenced[] = [];

  private constructor(private readonly file: string) {}

  /** A missing or damaged file is an empty list: silencing is a convenience, never a reason not to start. */
  static async open(file: string): Promise<SilenceList> {
    const list = new SilenceList(file);
    try {
      const parsed = JSON.parse(await Deno.readTextFile(file));
      const items: unknown[] = Array.isArray(parsed?.silenced) ? parsed.silenced : [];
      list.#items = items.filter((item): item is Silenced =>
        typeof (item as Silenced)?.host === "string" && typeof (item as Silenced)?.repo === "string"
      ).map(({ host, repo }) => ({ host, repo }));
    } catch {
      list.#items = [];
    }
    return list;
  }

  items(): Silenced[] {
    return this.#items.map((item) => ({ ...item }));
  }

  async set(item: Silenced, silenced: boolean): Promise<Silenced[]> {
    const others = this.#items.filter((i) => i.host !== item.host || i.repo !== item.repo);
    const next = silenced ? [...others, { host: item.host, repo: item.repo }] : others;
    await writeFileAtomic(this.file, `${JSON.stringify({ silenced: next }, null, 2)}\n`, { mode: 0o600 });
    this.#items = next;
    return this.items();
  }
}
