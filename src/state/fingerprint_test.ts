import assert from "node:assert/strict";
import { repoStatus } from "../../tests/helpers/mock_dashboard_server.ts";
import { statusFingerprint } from "./fingerprint.ts";

Deno.test("statusFingerprint() moves with what is shown and not with the times of routine events", () => {
  const base = repoStatus("api", "2026-01-01T00:00:00.000Z");
  const same = statusFingerprint(base);
  assert.equal(statusFingerprint({ ...base, updatedAt: "2026-01-02T00:00:00.000Z" }), same);
  assert.equal(statusFingerprint({ ...base, lastFetch: { at: "2026-01-02T00:00:00.000Z", ok: true } }), same);
  for (
    const changed of [
      { ahead: 1 },
      { branch: "dev" },
      { clean: false },
      { stashes: 2 },
      { lastFetch: { at: "2026-01-01T00:00:00.000Z", ok: false, error: "offline" } },
      { unpushedBranches: [{ name: "wip", upstream: null, ahead: 1 }] },
    ] as const
  ) {
    assert.notEqual(statusFingerprint({ ...base, ...changed } as typeof base), same, JSON.stringify(changed));
  }
  // A digest: the daemon keeps one per repository, whatever the state's size.
  const big = {
    ...base,
    changes: {
      ...base.changes,
      entries: Array.from({ length: 500 }, (_, i) => ({ code: "??", path: `f${i}` })),
    },
  };
  assert.ok(statusFingerprint(big).length <= 64);
});
