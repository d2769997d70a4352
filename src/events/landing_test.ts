import assert from "node:assert/strict";
import type { GitResult, GitRunner } from "../git/runner.ts";
import { LANDING_LIMIT_MS, type LandingDeps, landingOf } from "./landing.ts";
import type { PushEvent } from "./push_event.ts";

const OLD = "1".repeat(40);
const NEW = "2".repeat(40);
const ZERO = "0".repeat(40);

function event(refs: PushEvent["refs"], remote = "origin"): PushEvent {
  return {
    v: 1,
    type: "push",
    source: "a",
    repository: "repo1",
    remote,
    refs,
    at: "2026-12-02T20:00:00.000Z",
  };
}

/** `git for-each-ref` answering from `tracking`, which the test changes as git would. */
function deps(tracking: Map<string, string>, alive: boolean, now = 0): LandingDeps & { asked: string[][] } {
  const asked: string[][] = [];
  const runner: GitRunner = {
    run(args): Promise<GitResult> {
      asked.push([...args]);
      const prefix = args[args.length - 1]!;
      const stdout = [...tracking].filter(([ref]) => ref.startsWith(prefix)).map(([r, s]) => `${r} ${s}`)
        .join("\n");
      return Promise.resolve({ stdout, stderr: "", code: 0 });
    },
  };
  return { runner, pathOf: () => "/repo", alive: () => Promise.resolve(alive), now: () => now, asked };
}

const push = (e: PushEvent) => ({ event: e, pusher: 4242, since: 0 });

Deno.test("landingOf() waits while git pushes and the remote-tracking ref still shows the old sha", async () => {
  const tracking = new Map([["refs/remotes/origin/main", OLD]]);
  const landing = await landingOf(deps(tracking, true), push(event([{ ref: "refs/heads/main", sha: NEW }])));
  assert.deepEqual(landing, { state: "waiting" });
});

Deno.test("landingOf() says landed once the remote-tracking ref shows the pushed sha, git running or not", async () => {
  const tracking = new Map([["refs/remotes/origin/main", NEW]]);
  const refs = [{ ref: "refs/heads/main", sha: NEW }];
  assert.deepEqual(await landingOf(deps(tracking, true), push(event(refs))), { state: "landed", refs });
});

Deno.test("landingOf() says rejected when git ended and the remote-tracking ref did not move", async () => {
  const tracking = new Map([["refs/remotes/origin/main", OLD]]);
  const landing = await landingOf(deps(tracking, false), push(event([{ ref: "refs/heads/main", sha: NEW }])));
  assert.deepEqual(landing, { state: "rejected" });
});

Deno.test("landingOf() keeps only the refs that landed when the remote took part of a push", async () => {
  const tracking = new Map([["refs/remotes/origin/main", NEW], ["refs/remotes/origin/dev", OLD]]);
  const refs = [{ ref: "refs/heads/main", sha: NEW }, { ref: "refs/heads/dev", sha: NEW }];
  const landing = await landingOf(deps(tracking, false), push(event(refs)));
  assert.deepEqual(landing, { state: "landed", refs: [{ ref: "refs/heads/main", sha: NEW }] });
});

Deno.test("landingOf() counts a deletion as landed when the remote-tracking ref is gone", async () => {
  const refs = [{ ref: "refs/heads/old", sha: ZERO }];
  assert.deepEqual(await landingOf(deps(new Map(), true), push(event(refs))), { state: "landed", refs });
});

Deno.test("landingOf() announces a tag, which has no remote-tracking ref, once git ended", async () => {
  const refs = [{ ref: "refs/tags/v1", sha: NEW }];
  assert.deepEqual(await landingOf(deps(new Map(), true), push(event(refs))), { state: "waiting" });
  assert.deepEqual(await landingOf(deps(new Map(), false), push(event(refs))), { state: "landed", refs });
});

Deno.test("landingOf() runs no git for a push to a URL and announces it once git ended", async () => {
  const refs = [{ ref: "refs/heads/main", sha: NEW }];
  const d = deps(new Map(), false);
  const landing = await landingOf(d, push(event(refs, "https://example.com/repo.git")));
  assert.deepEqual(landing, { state: "landed", refs });
  assert.deepEqual(d.asked, []);
});

Deno.test("landingOf() stops waiting past the limit even while the pid still runs", async () => {
  const tracking = new Map([["refs/remotes/origin/main", OLD]]);
  const landing = await landingOf(
    deps(tracking, true, LANDING_LIMIT_MS + 1),
    push(event([{ ref: "refs/heads/main", sha: NEW }])),
  );
  assert.deepEqual(landing, { state: "rejected" });
});
