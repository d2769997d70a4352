import assert from "node:assert/strict";
import { plainStatus } from "./fast_status.ts";

Deno.test("plainStatus() takes the plain forms of status", () => {
  assert.deepEqual(plainStatus(["status"]), {});
  assert.deepEqual(plainStatus(["status", "--local", "--json"]), { local: true, json: true });
  assert.deepEqual(plainStatus(["status", "--host", "laptop", "--repo", "api", "--attention"]), {
    host: "laptop",
    repo: "api",
    attention: true,
  });
});

Deno.test("plainStatus() leaves everything else to the command parser", () => {
  for (
    const argv of [
      ["leave"],
      ["status", "--help"],
      ["status", "-h"],
      ["status", "--host=laptop"],
      ["status", "--host"],
      ["status", "--host", "--json"],
      ["status", "--json", "--json"],
      ["status", "--verbose"],
      ["status", "--jsno"],
      ["status", "extra"],
      ["-v", "status"],
    ]
  ) {
    assert.equal(plainStatus(argv), null, argv.join(" "));
  }
});
