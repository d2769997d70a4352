import type { GlobalOptions } from "../context.ts";
import { loadCliConfig, presenceFile } from "../context.ts";
import { createStore } from "../../aws/services.ts";
import { currentTime } from "../../util/clock.ts";
import { arrivalReport, lastActive, parseSince, recordRun } from "../../presence/mod.ts";
import * as out from "../output.ts";
import { arrivalJson, renderArrival, whereFrom } from "../presence_view.ts";

export interface ArriveOptions {
  json?: boolean;
  since?: string;
}

export async function arriveCommand(globals: GlobalOptions, options: ArriveOptions): Promise<void> {
  const config = await loadCliConfig(globals);
  const now = currentTime();
  const asked = options.since === undefined ? undefined : parseSince(options.since, now);
  const snapshot = await (await createStore(config)).snapshot();
  const file = presenceFile(config);
  const since = asked ? { at: asked, from: "option" as const } : await lastActive(
    file,
    config.hostname,
    snapshot.hosts.find((h) => h.hostname === config.hostname),
    now,
  );
  const report = arrivalReport(snapshot, config.hostname, since, now);
  // A look back with --since is a question, not an arrival: the next `arrive` still starts where it would.
  if (!asked) await recordRun(file, config.hostname, "arrive", now);
  if (options.json) out.json(arrivalJson(report));
  else out.line(renderArrival(report, whereFrom(Deno.cwd()), out.palette()));
}
