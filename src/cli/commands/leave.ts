import type { GlobalOptions } from "../context.ts";
import { instanceLockFile, loadCliConfig, localStateFile, outboxPath, presenceFile } from "../context.ts";
import { DenoGitRunner } from "../../git/runner.ts";
import { currentTime } from "../../util/clock.ts";
import { isLockHeld } from "../../util/file_lock.ts";
import { Outbox } from "../../events/outbox.ts";
import { leaveReport, recordRun } from "../../presence/mod.ts";
import { ReportedError } from "../../errors.ts";
import * as out from "../output.ts";
import { leaveJson, promptLine, renderLeave, whereFrom } from "../presence_view.ts";

export interface LeaveOptions {
  json?: boolean;
  local?: boolean;
}

export async function leaveCommand(globals: GlobalOptions, options: LeaveOptions): Promise<void> {
  // The prompt form reads the resolved config's cached copy, as the pre-push hook does: no YAML, no schema.
  const config = await loadCliConfig(globals, { cached: options.local === true });
  const lock = await instanceLockFile(config);
  let running: Promise<boolean> | undefined;
  const report = await leaveReport({
    config,
    runner: new DenoGitRunner({ parallelism: config.daemon.parallelism }),
    now: currentTime,
    waitingPushes: () => new Outbox(outboxPath(config)).waitingRepositories(),
    daemonRunning: () => running ??= isLockHeld(lock),
    ...(options.local ? { statePath: localStateFile(config) } : {}),
  });
  // A prompt runs `--local` at every command: that is no sign of leaving, and must not move `arrive`'s start.
  if (!options.local) await recordRun(presenceFile(config), config.hostname, "leave", currentTime());
  if (options.json) out.json(leaveJson(report));
  else if (options.local) {
    const { live, reason } = report.source;
    if (reason !== null && live.length > 0) {
      out.error(`${reason}: read ${live.length} repositor${live.length === 1 ? "y" : "ies"} from git`);
    }
    const line = promptLine(report);
    if (line !== null) out.line(line);
  } else out.line(renderLeave(report, whereFrom(Deno.cwd()), out.palette()));
  if (report.atRisk) throw new ReportedError("work at risk");
}
