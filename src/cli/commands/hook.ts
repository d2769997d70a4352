/** `gitargus hook pre-push <remote> [url]`: what the installed hook runs. It exits 0 whatever happens. */

import type { GlobalOptions } from "../context.ts";
import { loadCliConfig, outboxPath, startLogging } from "../context.ts";
import { announcePush } from "../../events/pre_push.ts";
import { Outbox } from "../../events/outbox.ts";
import { daemonAlive } from "../../events/relay.ts";
import { createPublisher } from "../../aws/services.ts";
import * as out from "../output.ts";
import { lazy } from "../../lazy.ts";

export async function prePushCommand(globals: GlobalOptions, remote: string): Promise<void> {
  const input = await readStdin();
  try {
    const config = await loadCliConfig(globals, { quiet: true, cached: true });
    const result = await announcePush(
      {
        config,
        cwd: Deno.cwd(),
        now: () => new Date(),
        outbox: new Outbox(outboxPath(config)),
        daemonAlive: () => daemonAlive(outboxPath(config), config.hostname),
        // One attempt: the deadline, not the SDK's retries, bounds how long a push waits.
        publisher: () => createPublisher(config, { maxAttempts: 1 }),
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
  } catch (error) {
    // Never break a push: say why in one line and let it go through.
    out.error(`push not announced: ${(error as Error).message}`);
  }
}

/** Plain reads: the web streams behind `Response` cost the hook start-up time for a few hundred bytes. */
async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) return "";
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(16 * 1024);
  for (let n = await Deno.stdin.read(buffer); n !== null; n = await Deno.stdin.read(buffer)) {
    chunks.push(buffer.slice(0, n));
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((offset, c) => (bytes.set(c, offset), offset + c.length), 0);
  return new TextDecoder().decode(bytes);
}
