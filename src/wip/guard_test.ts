import assert from "node:assert/strict";
import { looksSecret, refusedFiles } from "./guard.ts";

Deno.test("looksSecret() knows the usual homes of credentials and keys, in any folder and case", () => {
  for (
    const path of [
      ".env",
      "app/.env.local",
      "id_rsa",
      "keys/id_ed25519.pub",
      "cert.PEM",
      "server.key",
      ".npmrc",
    ]
  ) {
    assert.equal(looksSecret(path), true, path);
  }
  for (const path of [".env.example", "src/env.ts", "README.md", "keyboard.ts", "docs/credentials.md"]) {
    assert.equal(looksSecret(path), false, path);
  }
});

Deno.test("refusedFiles() names each file and why; deletions pass", () => {
  const refused = refusedFiles([
    { path: ".env", size: 10 },
    { path: "big.iso", size: 30 * 1024 * 1024 },
    { path: "small.txt", size: 10 },
    { path: "gone.key", size: null },
  ], 10 * 1024 * 1024);
  assert.deepEqual(refused, [
    { path: ".env", reason: "looks like it holds a secret" },
    { path: "big.iso", reason: "30 MB, over wip.maxFileSizeMB (10)" },
  ]);
});
