import assert from "node:assert/strict";
import { validateConfig } from "./schema.ts";
import { notifyConfig } from "./resolve.ts";
import { parseConfigSource } from "./source.ts";

const FILE = "/home/user/.gitargus/config.yml";

function input(text: string) {
  const { raw, locate } = parseConfigSource(`root: /home/user/ws\n${text}`, FILE);
  return validateConfig(raw, FILE, locate);
}

Deno.test("notify defaults to every kind but fastForwarded, on the desktop, with the documented timings", () => {
  const notify = notifyConfig(input("").notify);
  assert.deepEqual(notify, {
    enabled: true,
    desktop: true,
    kinds: {
      blocked: true,
      failed: true,
      workAtRisk: true,
      offlineWithWork: true,
      awsUnreachable: true,
      fastForwarded: false,
    },
    workAtRiskMinutes: 60,
    awsUnreachableMinutes: 10,
    othersSeconds: 300,
    timeoutSeconds: 10,
  });
  assert.deepEqual(notifyConfig(input("notify: true").notify), notify);
});

Deno.test("notify: false delivers nothing; kinds switch single kinds; a command is kept as written", () => {
  assert.equal(notifyConfig(input("notify: false").notify).enabled, false);
  const notify = notifyConfig(
    input(
      `notify:\n  desktop: false\n  command: ntfy publish me\n  kinds: { fastForwarded: true, workAtRisk: false }\n`,
    )
      .notify,
  );
  assert.equal(notify.desktop, false);
  assert.equal(notify.command, "ntfy publish me");
  assert.equal(notify.kinds.fastForwarded, true);
  assert.equal(notify.kinds.workAtRisk, false);
  assert.equal(notify.kinds.blocked, true);
});

Deno.test("hooks.onEvent defaults to every event and a 10 s timeout", () => {
  const { hooks } = input(
    `hooks:\n  onEvent:\n    - command: ./on-event.sh\n    - { command: ./on-push.sh, events: [push], timeoutSeconds: 3 }\n`,
  );
  assert.deepEqual(hooks.onEvent, [
    { command: "./on-event.sh", events: ["fast-forwarded", "push", "attention"], timeoutSeconds: 10 },
    { command: "./on-push.sh", events: ["push"], timeoutSeconds: 3 },
  ]);
});
