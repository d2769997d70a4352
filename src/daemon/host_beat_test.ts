import assert from "node:assert/strict";
import { launchMode } from "./host_beat.ts";
import { LAUNCH_AGENT_LABEL } from "../service/launchd.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("launchMode() is service under systemd, which gives each unit process an INVOCATION_ID", () => {
  assert.equal(launchMode(envOf({ INVOCATION_ID: "4f1c0e" })), "service");
});

Deno.test("launchMode() is service under the launchd agent, named by its label", () => {
  assert.equal(launchMode(envOf({ XPC_SERVICE_NAME: LAUNCH_AGENT_LABEL })), "service");
});

Deno.test("launchMode() is foreground from a terminal, even one whose app sets XPC_SERVICE_NAME", () => {
  assert.equal(launchMode(envOf({})), "foreground");
  assert.equal(launchMode(envOf({ XPC_SERVICE_NAME: "0" })), "foreground");
  assert.equal(launchMode(envOf({ INVOCATION_ID: "" })), "foreground");
});
