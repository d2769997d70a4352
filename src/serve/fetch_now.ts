/**
 * "Fetch now" from the dashboard: the same steps the daemon takes for a push event — fetch, the safe
 * fast-forward (src/sync/), read, write the state — for one repository of this machine. Any daemon running
 * here sees the moved HEAD through its watches and carries on from there; git's own locks keep the two from
 * moving the same repository at once.
 */

import type { Config } from "../config/types.ts";
import type { GitRunner } from "../git/runner.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../log/logger.ts";
import { monitorDeps, RepoMonitor } from "../daemon/monitor.ts";
import { shortReason } from "../report/status_report.ts";

export interface FetchOutcome {
  ok: boolean;
  message: string;
}

export interface FetchNowDeps {
  config: Config;
  runner: GitRunner;
  store: Store;
  clock: Clock;
  log: Logger;
}

export type FetchNow = (repo: string) => Promise<FetchOutcome>;

export function fetchNow(deps: FetchNowDeps): FetchNow {
  const running = new Map<string, Promise<FetchOutcome>>();
  return (name) => {
    // A second click while one runs waits for the same run.
    const current = running.get(name);
    if (current) return current;
    const run = fetchOnce(deps, name).finally(() => running.delete(name));
    running.set(name, run);
    return run;
  };
}

async function fetchOnce(deps: FetchNowDeps, name: string): Promise<FetchOutcome> {
  const config = deps.config.repositories.find((r) => r.name === name);
  if (!config) return { ok: false, message: `${name} is not configured on ${deps.config.hostname}` };
  const { runner, store, clock, log } = deps;
  const monitor = new RepoMonitor(monitorDeps(deps.config, { runner, store, clock, log }), [config]);
  const fetched = await monitor.fetch(name);
  if (!fetched) {
    await monitor.refresh(name);
    return { ok: false, message: `${name} cannot be found: ${monitor.status(name)?.error ?? "missing"}` };
  }
  const sync = await monitor.fastForward(name);
  await monitor.refresh(name);
  const head = monitor.status(name)?.head?.slice(0, 7) ?? "";
  if (!fetched.ok) {
    return { ok: false, message: `fetch of ${name} failed: ${shortReason(fetched.error ?? "")}` };
  }
  switch (sync?.result) {
    case "fast-forwarded":
      return { ok: true, message: `fast-forwarded ${name} to ${head}` };
    case "up-to-date":
      return { ok: true, message: `${name} is up to date` };
    case "skipped":
      return {
        ok: true,
        message: `fetched ${name}; not fast-forwarded: ${sync.reason ?? "autoPull is off"}`,
      };
    default:
      return { ok: false, message: `fetched ${name}; not fast-forwarded: ${sync?.reason ?? sync?.result}` };
  }
}
