/**
 * Writes this host's repository states to the store: only when one changed, numbered in the order they were
 * read (src/store/host_revisions.ts), retried while the store is unreachable, and without credentials.
 */

import type { RepoStatus } from "../state/repo_status.ts";
import { statusFingerprint } from "../state/fingerprint.ts";
import type { Store } from "../store/store.ts";
import { hostRevisions, type Ticket } from "../store/host_revisions.ts";
import type { Logger } from "../log/logger.ts";
import { redactCredentials } from "../util/redact.ts";
import type { OutageTracker } from "../aws/outage.ts";

export interface StateWriterDeps {
  store: Store;
  hostname: string;
  log: Logger;
  /** Failed writes report here (logged once per outage); without it each failure is logged. */
  outages?: OutageTracker | undefined;
  /** Told every state about to be kept as current (attention items, event hooks); must not throw or block. */
  onStatus?: ((name: string, status: RepoStatus) => void) | undefined;
}

export class StateWriter {
  /** Fingerprint of what the store holds per repository, as far as this process knows. */
  readonly #stored = new Map<string, string>();
  /** States the store has not accepted yet (AWS unreachable): retried later. */
  readonly #unwritten = new Map<string, RepoStatus>();
  /** The revision each state was numbered with when it was read; it goes with the state to every retry. */
  readonly #tickets = new WeakMap<RepoStatus, Ticket>();
  /** Highest revision sent per repository: a refusal above it means another process of this host wrote. */
  readonly #sent = new Map<string, number>();
  /** Repositories whose stored state another process of this host wrote: read again before writing. */
  readonly #superseded = new Set<string>();
  writes = 0;

  constructor(private readonly deps: StateWriterDeps) {}

  /** A number for a state about to be read: of two reads, the later one's write wins. */
  ticket(): Ticket {
    return this.#revisions.take();
  }

  /** What the store held at start, so a restart writes nothing that did not change. */
  knowStored(status: RepoStatus): void {
    this.#stored.set(status.name, statusFingerprint(status));
  }

  learnRevision(revision: number): void {
    this.#revisions.learn(revision);
  }

  /** The state to keep as current (credentials removed), and whether it was written. */
  async record(read: RepoStatus, ticket: Ticket): Promise<{ status: RepoStatus; written: boolean }> {
    const status = withoutCredentials(read);
    this.deps.onStatus?.(status.name, status);
    this.#tickets.set(status, ticket);
    if (statusFingerprint(status) === this.#stored.get(status.name)) {
      this.#unwritten.delete(status.name);
      return { status, written: false };
    }
    return { status, written: await this.#write(status) };
  }

  /** A repository no longer configured: nothing of it is retried or compared any more. */
  forget(name: string): void {
    this.#stored.delete(name);
    this.#unwritten.delete(name);
    this.#superseded.delete(name);
  }

  /** True once per refusal caused by another process of this host: the repository must be read again. */
  takeSuperseded(name: string): boolean {
    return this.#superseded.delete(name);
  }

  /** Retries what the store refused or could not take; a failure during an outage ends the round. */
  async flush(): Promise<void> {
    for (const status of [...this.#unwritten.values()]) {
      await this.#write(status);
      if (this.deps.outages?.isDown("dynamodb")) return;
    }
  }

  /** After the table was found missing: the one that exists again holds none of what was stored. */
  markUnwritten(states: Iterable<RepoStatus>): void {
    for (const status of states) this.#unwritten.set(status.name, status);
  }

  hasUnwritten(): boolean {
    return this.#unwritten.size > 0;
  }

  async #write(status: RepoStatus): Promise<boolean> {
    const sent = this.deps.outages?.sending();
    try {
      // A state made without a ticket is numbered now, which is when it became known, and keeps that number.
      const ticket = this.#tickets.get(status) ?? this.#revisions.take();
      this.#tickets.set(status, ticket);
      const revision = await this.#revisions.revision(ticket);
      this.#sent.set(status.name, Math.max(this.#sent.get(status.name) ?? 0, revision));
      const result = await this.deps.store.putRepository(this.deps.hostname, status, revision);
      this.deps.outages?.succeeded("dynamodb");
      this.#unwritten.delete(status.name);
      // Compared with what was sent by now: a later write of this process may have overtaken this one.
      const sent = this.#sent.get(status.name) ?? 0;
      if (
        result.outcome === "stale" && result.storedRevision !== null &&
        (result.storedRevision > sent || result.storedRevision === revision)
      ) {
        this.#revisions.learn(result.storedRevision);
        this.#stored.delete(status.name);
        this.#superseded.add(status.name);
        this.deps.log.info("{name} was written by another process of this host; reading it again", {
          name: status.name,
        });
      }
      if (result.outcome === "written") {
        this.#stored.set(status.name, statusFingerprint(status));
        this.writes++;
        this.deps.log.debug("Wrote {name}: {state}", { name: status.name, state: status.state });
        return true;
      }
      return false;
    } catch (error) {
      this.#unwritten.set(status.name, status);
      if (this.deps.outages) this.deps.outages.failed("dynamodb", error, sent);
      else {
        this.deps.log.warn("Cannot write {name} to the store, will retry: {error}", {
          name: status.name,
          error: (error as Error).message,
        });
      }
      return false;
    }
  }

  get #revisions() {
    return hostRevisions(this.deps.store, this.deps.hostname);
  }
}

/** git's messages quote remote URLs, sometimes with the token in them: none reaches the store. */
function withoutCredentials(status: RepoStatus): RepoStatus {
  const { error, lastFetch, sync } = status;
  const clean = { ...status, error: error === null ? null : redactCredentials(error) };
  if (lastFetch?.error !== undefined) {
    clean.lastFetch = { ...lastFetch, error: redactCredentials(lastFetch.error) };
  }
  if (sync?.reason !== undefined) clean.sync = { ...sync, reason: redactCredentials(sync.reason) };
  return clean;
}
