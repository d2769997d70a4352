/**
 * `gitargus hook pre-push <remote> [url]`: what the installed hook runs. It exits 0 whatever happens, or
 * START_PUBLISHER when the event waits in the outbox and no relay runs: the hook script then starts
 * `gitargus hook publish` detached (src/git/hooks.ts), so neither git nor the terminal waits for AWS.
 */

import type { GlobalOptions } from "../context.ts";
import { loadCliConfig, outboxPath, startLogging } from "../context.ts";
import { announcePush } from "../../events/pre_push.ts";
import { Outbox } from "../../events/outbox.ts";
import { daemonAlive } from "../../events/relay.ts";
import * as out from "../output.ts";
import { lazy } from "../../lazy.ts";

/** The hook's exit code that asks its script for a one-shot publisher; git never sees it. */
export const START_PUBLISHER = 3;

export async function prePushCommand(globals: GlobalOptions, remote: string): Promise<number> {
  try {
    const input = readStdin();
    const pusher = Number(Deno.env.get("GITARGUS_PUSHER"));
    const config = await loadCliConfig(globals, { quiet: true, cached: true });
    const result = await announcePush(
      {
        config,
        cwd: Deno.cwd(),
        now: () => new Date(),
        outbox: new Outbox(outboxPath(config)),
        daemonAlive: () => daemonAlive(outboxPath(config), config.hostname),
        // One attempt: the deadline, not the SDK's retries, bounds how long a push waits.
        publisher: async () => {
          const { createPublisher } = await lazy<typeof import("../../aws/services.ts")>("awsServices");
          return await createPublisher(config, { maxAttempts: 1 });
        },
        ...(Number.isInteger(pusher) && pusher > 1 ? { pusher } : {}),
      },
      remote,
      input,
    );
    if (result.outcome === "queued") {
      // Logging starts only now: a push that was announced pays nothing for it.
      await startLogging(globals, { file: true, stderrLevel: "error" });
      const { logger } = await lazy<typeof import("../../log/logger.ts")>("logger");
      logger("hook").warn("Push of {repository} not announced ({reason}); the daemon will publish it later", {
        repository: result.event.repository,
        reason: result.reason,
      });
      out.error(`push not announced yet (${result.reason}); the daemon will send it when AWS answers`);
    }
    return result.outcome === "handed" ? START_PUBLISHER : 0;
  } catch (error) {
    // Never break a push: say why in one line and let it go through.
    out.error(`push not announced: ${(error as Error).message}`);
    return 0;
  }
}

/**
 * Plain synchronous reads: the web streams behind `Response` cost the hook start-up time for a few hundred
 * bytes, and an asynchronous read starts the runtime's thread pool (src/util/local_fs.ts).
 */
function readStdin(): string {
  if (Deno.stdin.isTerminal()) return "";
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(16 * 1024);
  for (let n = Deno.stdin.readSync(buffer); n !== null; n = Deno.stdin.readSync(buffer)) {
    chunks.push(buffer.slice(0, n));
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((offset, c) => (bytes.set(c, offset), offset + c.length), 0);
  return new TextDecoder().decode(bytes);
}
