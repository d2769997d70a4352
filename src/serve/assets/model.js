/**
 * What the page knows: the server's snapshot, then every event applied in order. Rendering reads it; nothing
 * else changes it.
 */

/** @param {string} host @param {string} repo */
export const key = (host, repo) => `${host}\u0000${repo}`;

export class Model {
  constructor() {
    this.localHost = "";
    /** Repositories other machines have and this one lacks, by name (`missingHere` of `status --json`). */
    /** @type {Map<string, any>} */
    this.missing = new Map();
    /** Server time minus browser time, so ages are the server's. */
    this.offset = 0;
    /** @type {Map<string, any>} */
    this.hosts = new Map();
    /** @type {Map<string, any>} repository states by key(host, repo) */
    this.repos = new Map();
    /** @type {Map<string, any>} cells (attention kinds, notes) by key(host, repo) */
    this.cells = new Map();
    /** @type {Set<string>} */
    this.silenced = new Set();
    /** @type {any[]} */
    this.activity = [];
    /** @type {any[]} */
    this.unreadable = [];
    /** @type {string | null} */
    this.problem = null;
    this.ready = false;
  }

  now() {
    return Date.now() + this.offset;
  }

  /** @param {string} event @param {any} data */
  apply(event, data) {
    switch (event) {
      case "snapshot":
        return this.#snapshot(data);
      case "host":
        if (data.host) this.hosts.set(data.hostname, data.host);
        else this.#dropHost(data.hostname);
        return;
      case "repo":
        if (data.status) {
          this.repos.set(key(data.host, data.repo), data.status);
          this.cells.set(key(data.host, data.repo), data.cell);
        } else {
          this.repos.delete(key(data.host, data.repo));
          this.cells.delete(key(data.host, data.repo));
        }
        return;
      case "activity":
        if (!this.activity.some((a) => a.id === data.id)) this.activity.unshift(data);
        this.activity.length = Math.min(this.activity.length, 100);
        return;
      case "silenced":
        this.silenced = new Set((data.silenced ?? []).map((/** @type {any} */ s) => key(s.host, s.repo)));
        return;
      case "missing":
        this.missing = new Map((data.missingHere ?? []).map((/** @type {any} */ m) => [m.name, m]));
        return;
      case "unreadable":
        this.unreadable = data.unreadable ?? [];
        return;
      case "problem":
        this.problem = data.message ?? null;
        return;
    }
  }

  /** @param {any} data */
  #snapshot(data) {
    this.localHost = data.localHost ?? "";
    this.offset = Date.parse(data.now) - Date.now() || 0;
    this.hosts.clear();
    this.repos.clear();
    this.cells.clear();
    for (const host of data.report?.hosts ?? []) {
      const { repositories = [], ...header } = host;
      this.hosts.set(host.hostname, header);
      for (const repo of repositories) this.repos.set(key(host.hostname, repo.name), repo);
    }
    for (const cell of data.cells ?? []) this.cells.set(key(cell.host, cell.repo), cell);
    this.apply("silenced", { silenced: data.silenced });
    this.activity = [...(data.activity ?? [])];
    this.unreadable = data.report?.unreadable ?? [];
    this.apply("missing", { missingHere: data.missingHere });
    this.problem = data.problem ?? null;
    this.ready = true;
  }

  /** @param {string} hostname */
  #dropHost(hostname) {
    this.hosts.delete(hostname);
    for (const k of [...this.repos.keys()]) if (k.startsWith(`${hostname}\u0000`)) this.repos.delete(k);
    for (const k of [...this.cells.keys()]) if (k.startsWith(`${hostname}\u0000`)) this.cells.delete(k);
  }

  /** Machines in order: this one first, then by name. */
  hostNames() {
    return [...this.hosts.keys()].sort((a, b) =>
      Number(b === this.localHost) - Number(a === this.localHost) || a.localeCompare(b)
    );
  }

  repoNames() {
    return [...new Set([...this.repos.keys()].map((k) => k.split("\u0000")[1] ?? ""))].sort((a, b) =>
      a.localeCompare(b)
    );
  }

  /** @param {string} host @param {string} repo */
  attentionOf(host, repo) {
    return this.cells.get(key(host, repo))?.attention ?? [];
  }

  /** @param {string} host @param {string} repo */
  isSilenced(host, repo) {
    return this.silenced.has(key(host, repo));
  }

  /**
   * What the filter shows: repositories and machines whose name contains the text; a text that names only
   * machines shows all their repositories, and one that names only repositories shows them on every machine.
   * @param {string} text
   */
  visible(text) {
    const q = text.trim().toLowerCase();
    const hosts = this.hostNames();
    const repos = this.repoNames();
    if (!q) return { hosts, repos };
    const hostHits = hosts.filter((h) => h.toLowerCase().includes(q));
    const repoHits = repos.filter((r) => r.toLowerCase().includes(q));
    return {
      hosts: hostHits.length ? hostHits : repoHits.length ? hosts : [],
      repos: repoHits.length ? repoHits : hostHits.length ? repos : [],
    };
  }
}
