import assert from "node:assert/strict";
import * as localFs from "./local_fs.ts";

Deno.test("local reads resolve as Deno's asynchronous calls do, and a failure is a rejection, not a throw", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a`, "text");
    await Deno.mkdir(`${dir}/sub`);
    assert.deepEqual(await localFs.readTextFile(`${dir}/a`), "text");
    assert.deepEqual((await localFs.stat(`${dir}/sub`)).isDirectory, true);
    assert.deepEqual((await localFs.lstat(`${dir}/a`)).isFile, true);
    assert.deepEqual(await localFs.realPath(`${dir}/sub/..`), await Deno.realPath(dir));
    assert.deepEqual((await localFs.readDir(dir)).map((e) => e.name).sort(), ["a", "sub"]);
    // Callers chain .catch/.then on the result: a missing file must not throw synchronously.
    const missing = localFs.stat(`${dir}/none`);
    await assert.rejects(missing, Deno.errors.NotFound);
    await assert.rejects(localFs.readDir(`${dir}/a`));
    assert.deepEqual(await localFs.readTextFile(`${dir}/none`).catch(() => "fallback"), "fallback");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
