import assert from "node:assert/strict";
import { desktopArgv, Notifier } from "./mod.ts";
import type { Delivery } from "../attention/quiet.ts";
import type { ProgramRun } from "../util/program.ts";
import { logger } from "../log/logger.ts";

const item = {
  id: "blocked:desktop:api",
  kind: "blocked" as const,
  host: "desktop",
  repo: "api",
  summary: 'api on desktop: not fast-forwarded: "README.md"',
  state: "local changes",
  since: "2026-12-02T10:00:00.000Z",
};
const raised: Delivery = { digest: false, notice: { event: "raised", item } };
const cleared: Delivery = { digest: false, notice: { event: "cleared", item } };

function notifier(fail = false) {
  const runs: ProgramRun[] = [];
  const n = new Notifier({
    desktop: true,
    command: "deliver-it",
    timeoutMs: 1000,
    log: logger("test"),
    os: "linux",
    env: (name) => name === "PATH" ? "/usr/bin" : undefined,
    run: (run) => {
      runs.push(run);
      return Promise.resolve({ code: fail ? 1 : 0, stdout: "", stderr: fail ? "no bus" : "", ms: 1 });
    },
  });
  return { n, runs };
}

Deno.test("Notifier shows a raised item on the desktop and hands it to the command as JSON and variables", async () => {
  const { n, runs } = notifier();
  n.send(raised);
  await n.idle();
  assert.deepEqual(runs.map((r) => r.program), ["notify-send", "sh"]);
  assert.deepEqual(runs[0]!.args.slice(1), ["GitArgus: Fast-forward blocked", item.summary]);
  assert.deepEqual(runs[1]!.args, ["-c", "deliver-it"]);
  const payload = JSON.parse(runs[1]!.stdin!);
  assert.equal(payload.event, "raised");
  assert.deepEqual(payload.item, item);
  assert.equal(runs[1]!.env.GITARGUS_ITEM_KIND, "blocked");
  assert.equal(runs[1]!.env.GITARGUS_ITEM_REPO, "api");
  assert.equal(runs[1]!.env.PATH, "/usr/bin");
  assert.equal(runs[1]!.env.AWS_SECRET_ACCESS_KEY, undefined);
});

Deno.test("Notifier tells a clear only to the command", async () => {
  const { n, runs } = notifier();
  n.send(cleared);
  await n.idle();
  assert.deepEqual(runs.map((r) => r.program), ["sh"]);
  assert.equal(JSON.parse(runs[0]!.stdin!).event, "cleared");
});

Deno.test("desktopArgv() passes the text to osascript as arguments, never inside the script", () => {
  const [program, args] = desktopArgv("darwin", { title: 'say "hi"', body: "a'b" });
  assert.equal(program, "osascript");
  assert.deepEqual(args.slice(-2), ['say "hi"', "a'b"]);
  assert.ok(args.filter((a) => a !== args.at(-1) && a !== args.at(-2)).every((a) => !a.includes("hi")));
});
