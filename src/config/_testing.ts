/** Test helpers for src/config: a temporary folder that removes itself, and ConfigError assertions. */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { ConfigError } from "../errors.ts";

export interface TempDir extends AsyncDisposable {
  path: string;
  /** Writes `text` at `relative`, creating folders, and returns the absolute path. */
  write(relative: string, text: string): Promise<string>;
  /** Creates folders and returns the absolute path. */
  mkdir(relative: string): Promise<string>;
}

export async function tempDir(): Promise<TempDir> {
  // Real path: on macOS the temp folder sits behind a symlink, and the config resolves root to its real path.
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-config-" }));
  return {
    path,
    async write(relative, text) {
      const file = join(path, relative);
      await Deno.mkdir(dirname(file), { recursive: true });
      await Deno.writeTextFile(file, text);
      return file;
    },
    async mkdir(relative) {
      const dir = join(path, relative);
      await Deno.mkdir(dir, { recursive: true });
      return dir;
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true });
    },
  };
}

export interface ExpectedConfigError {
  keyPath: string | undefined;
  line: number | undefined;
  /** A piece of the message. */
  fragment: string;
}

/** Asserts that `error` is a one-line ConfigError at the given key path and line. */
export function assertConfigError(
  error: unknown,
  expected: ExpectedConfigError,
): asserts error is ConfigError {
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
  assert.equal(error.keyPath, expected.keyPath);
  assert.equal(error.line, expected.line);
  assert.ok(
    error.message.includes(expected.fragment),
    `"${error.message}" does not contain "${expected.fragment}"`,
  );
  assert.ok(!error.message.includes("\n"), "the message is one line");
}

/** What `fn` threw, or undefined. */
export async function thrownBy(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
