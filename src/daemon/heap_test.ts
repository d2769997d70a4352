import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { trimAllocator } from "./heap.ts";
import { runCli } from "../../tests/helpers/cli.ts";

const glibc = Deno.build.os === "linux" && Deno.build.env !== "musl";

Deno.test("trimAllocator() reaches glibc's malloc_trim on Linux, and is a no-op elsewhere", () => {
  const reached = trimAllocator();
  if (glibc) assert.equal(reached, true);
  // Called again it reuses the library it opened.
  assert.equal(trimAllocator(), reached);
});

Deno.test("the product's permission flags let the daemon trim the allocator", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const entry = `${dir}/trim.ts`;
    const heap = fileURLToPath(new URL("./heap.ts", import.meta.url));
    await Deno.writeTextFile(
      entry,
      `import { trimAllocator } from ${JSON.stringify(heap)};\nconsole.log(trimAllocator());\n`,
    );
    const result = await runCli([], { env: { HOME: dir }, entry });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), String(glibc));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
