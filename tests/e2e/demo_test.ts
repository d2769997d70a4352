/** `deno task demo` is the first thing a newcomer runs: it must keep working. */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

Deno.test("the demo pushes on one machine, fast-forwards the other and cleans up", async () => {
  const script = fileURLToPath(new URL("../../scripts/demo.ts", import.meta.url));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, `${text}\n${new TextDecoder().decode(output.stderr)}`);
  assert.match(text, /laptop is at [0-9a-f]{7}/);
  assert.match(text, /hello-world\s+laptop\s+main\s+UP_TO_DATE\s+1\?/);
  assert.match(text, /To go real/);
  const root = /origin:\s+(\S+)\/origins\//.exec(text)?.[1];
  assert.ok(root, "the demo names its temp folder");
  await assert.rejects(Deno.stat(root), Deno.errors.NotFound);
});
