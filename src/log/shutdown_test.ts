import assert from "node:assert/strict";
import { closeLogging, onLoggingShutdown } from "./shutdown.ts";

Deno.test("closeLogging() runs the flush that another copy of its module registered, once", async () => {
  // The hook's bundle holds one copy of this module; the logger it loads from source registers with another.
  const copy = await import(
    new URL("./shutdown.ts?another-copy", import.meta.url).href
  ) as typeof import("./shutdown.ts");
  let flushed = 0;
  copy.onLoggingShutdown(() => Promise.resolve(void flushed++));
  await closeLogging();
  await closeLogging();
  assert.equal(flushed, 1);
  onLoggingShutdown(() => Promise.resolve(void flushed++));
  await copy.closeLogging();
  assert.equal(flushed, 2);
});
