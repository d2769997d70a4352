import assert from "node:assert/strict";
import type { PushedRef } from "../events/push_event.ts";
import { FULL_UPDATE, mergeJobs, pushJob, REFRESH, type SyncJob } from "./sync_job.ts";

const SHA_1 = "1111111111111111111111111111111111111111";
const SHA_2 = "2222222222222222222222222222222222222222";
const SHA_3 = "3333333333333333333333333333333333333333";

const main = (sha: string): PushedRef => ({ ref: "refs/heads/main", sha });
const dev = (sha: string): PushedRef => ({ ref: "refs/heads/dev", sha });

function job(overrides: Partial<SyncJob> = {}): SyncJob {
  return { fetch: false, fastForward: false, refs: [], rewatch: false, ...overrides };
}

Deno.test("mergeJobs() keeps the newer sha of a ref pushed twice", () => {
  assert.deepEqual(mergeJobs(pushJob([main(SHA_1)]), pushJob([main(SHA_2)])).refs, [main(SHA_2)]);
});

Deno.test("mergeJobs() waits only for the newer push's refs when two pushes merge", () => {
  const merged = mergeJobs(pushJob([main(SHA_1)]), pushJob([dev(SHA_2)]));
  assert.deepEqual(merged.refs, [dev(SHA_2)]);
});

Deno.test("mergeJobs() still fetches once for the older push it supersedes", () => {
  const merged = mergeJobs(pushJob([main(SHA_1), dev(SHA_1)]), pushJob([dev(SHA_2)]));
  assert.deepEqual(merged.refs, [dev(SHA_2)]);
  assert.equal(merged.fetch, true);
});

Deno.test("mergeJobs() keeps the remote of the push whose refs it waits for", () => {
  assert.equal(mergeJobs(pushJob([main(SHA_1)], "one"), pushJob([dev(SHA_2)], "two")).remote, "two");
  assert.equal(mergeJobs(pushJob([main(SHA_1)], "one"), FULL_UPDATE).remote, "one");
  assert.equal(mergeJobs(FULL_UPDATE, REFRESH).remote, undefined);
});

Deno.test("mergeJobs() of a refresh after a push neither drops the push's refs nor adds a fetch", () => {
  const merged = mergeJobs(pushJob([main(SHA_1)]), REFRESH);
  assert.deepEqual(merged.refs, [main(SHA_1)]);
  assert.equal(merged.fetch, false);
});

Deno.test("mergeJobs() keeps the latest of many merges", () => {
  const merged = [SHA_1, SHA_2, SHA_3].map((sha) => pushJob([main(sha)])).reduce(mergeJobs);
  assert.deepEqual(merged.refs, [main(SHA_3)]);
});

Deno.test("mergeJobs() fetches when either job fetches", () => {
  assert.equal(mergeJobs(job({ fetch: true }), job()).fetch, true);
  assert.equal(mergeJobs(job(), job({ fetch: true })).fetch, true);
  assert.equal(mergeJobs(job(), job()).fetch, false);
});

Deno.test("mergeJobs() fast-forwards when either job fast-forwards", () => {
  assert.equal(mergeJobs(job({ fastForward: true }), job()).fastForward, true);
  assert.equal(mergeJobs(job(), job({ fastForward: true })).fastForward, true);
  assert.equal(mergeJobs(job(), job()).fastForward, false);
});

Deno.test("mergeJobs() rewatches when either job rewatches", () => {
  assert.equal(mergeJobs(job({ rewatch: true }), job()).rewatch, true);
  assert.equal(mergeJobs(job(), job({ rewatch: true })).rewatch, true);
  assert.equal(mergeJobs(job(), job()).rewatch, false);
});

Deno.test("mergeJobs() of a refresh and a push does everything both ask for", () => {
  assert.deepEqual(mergeJobs(REFRESH, pushJob([main(SHA_1)], "origin")), {
    fetch: false,
    fastForward: true,
    refs: [main(SHA_1)],
    remote: "origin",
    rewatch: true,
  });
});

Deno.test("mergeJobs() of a push and a full update keeps the pushed refs", () => {
  assert.deepEqual(mergeJobs(pushJob([main(SHA_1)]), FULL_UPDATE).refs, [main(SHA_1)]);
});

Deno.test("mergeJobs() changes neither of its inputs", () => {
  const older = pushJob([main(SHA_1)]);
  const newer = pushJob([main(SHA_2), dev(SHA_2)]);
  mergeJobs(older, newer);
  assert.deepEqual(older, pushJob([main(SHA_1)]));
  assert.deepEqual(newer, pushJob([main(SHA_2), dev(SHA_2)]));
  assert.deepEqual(REFRESH, { fetch: false, fastForward: false, refs: [], rewatch: true });
  mergeJobs(REFRESH, newer);
  assert.deepEqual(REFRESH.refs, []);
});

Deno.test("pushJob() waits for the pushed refs and fast-forwards, fetching only for them", () => {
  assert.deepEqual(pushJob([main(SHA_1)], "origin"), {
    fetch: false,
    fastForward: true,
    refs: [main(SHA_1)],
    remote: "origin",
    rewatch: false,
  });
});
