import assert from "node:assert/strict";
import { join } from "node:path";
import { RotatingLogFile } from "./rotating_file.ts";

async function tempLog(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-log-" });
  return {
    path: join(dir, "gitargus.log"),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

Deno.test("RotatingLogFile puts a line in the file before write() returns", async () => {
  await using dir = await tempLog();
  using file = new RotatingLogFile(dir.path, { maxBytes: 1024, files: 3 });
  file.write("first line\n");
  assert.equal(read(dir.path), "first line\n");
  file.write("second line\n");
  assert.equal(read(dir.path), "first line\nsecond line\n");
});

Deno.test("RotatingLogFile appends to the file an earlier run left", async () => {
  await using dir = await tempLog();
  await Deno.writeTextFile(dir.path, "earlier run\n");
  using file = new RotatingLogFile(dir.path, { maxBytes: 1024, files: 3 });
  file.write("this run\n");
  assert.equal(read(dir.path), "earlier run\nthis run\n");
});

Deno.test("RotatingLogFile rotates before a line would pass the size and keeps three files in all", async () => {
  await using dir = await tempLog();
  using file = new RotatingLogFile(dir.path, { maxBytes: 10, files: 3 });
  for (const line of ["aaaaaaaa\n", "bbbbbbbb\n", "cccccccc\n", "dddddddd\n"]) file.write(line);
  assert.equal(read(dir.path), "dddddddd\n");
  assert.equal(read(`${dir.path}.1`), "cccccccc\n");
  assert.equal(read(`${dir.path}.2`), "bbbbbbbb\n");
  assert.equal(read(`${dir.path}.3`), null, "the oldest file falls off");
});

Deno.test("RotatingLogFile writes a line longer than the limit whole, into a file of its own", async () => {
  await using dir = await tempLog();
  using file = new RotatingLogFile(dir.path, { maxBytes: 10, files: 3 });
  file.write("short\n");
  file.write(`${"x".repeat(30)}\n`);
  assert.equal(read(dir.path), `${"x".repeat(30)}\n`);
  assert.equal(read(`${dir.path}.1`), "short\n");
});

Deno.test("RotatingLogFile does not rotate again what another process rotated already", async () => {
  await using dir = await tempLog();
  using file = new RotatingLogFile(dir.path, { maxBytes: 20, files: 3 });
  file.write("0123456789abcde\n");
  // The hook's process rotated: the path is a new, small file.
  await Deno.rename(dir.path, `${dir.path}.1`);
  await Deno.writeTextFile(dir.path, "hook\n");
  file.write("daemon\n");
  assert.equal(read(dir.path), "hook\ndaemon\n");
  assert.equal(read(`${dir.path}.1`), "0123456789abcde\n");
  assert.equal(read(`${dir.path}.2`), null);
});

Deno.test("RotatingLogFile reports a failing write once and writes again once it can", async () => {
  await using dir = await tempLog();
  const errors: string[] = [];
  using file = new RotatingLogFile(dir.path, {
    maxBytes: 10,
    files: 2,
    onError: (error) => errors.push(error.name),
  });
  file.write("aaaaaaaa\n");
  // Rotation needs the folder; without it every write fails.
  const folder = join(dir.path, "..");
  const aside = `${folder}-aside`;
  await Deno.rename(folder, aside);
  try {
    file.write("bbbbbbbb\n");
    file.write("cccccccc\n");
  } finally {
    await Deno.rename(aside, folder);
  }
  assert.equal(errors.length, 1, `reported: ${errors.join(", ")}`);
  file.write("dddddddd\n");
  assert.equal(read(dir.path), "dddddddd\n");
});
