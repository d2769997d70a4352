/**
 * Issue: push events between machines. Real `git push` through the installed hook, the emulators, and the
 * daemons of the other machines fast-forwarding when — and only when — it is safe.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fleet, repoOf, statusJson } from "../helpers/fleet.ts";
import { waitFor } from "../helpers/cli.ts";

const SCENARIOS = ["clean", "dirty", "diverged", "rebasing"];

Deno.test("a push from A fast-forwards B and C where safe, and touches nothing where not", async () => {
  await using f = await fleet({ machines: ["a", "b", "c"], repositories: SCENARIOS, setupAws: true });
  const [a, b, c] = ["a", "b", "c"].map((m) => f.machine(m));
  await f.ok("a", ["hooks", "install"]);

  // B's local situations, prepared before anything is pushed.
  const dirtyFile = join(b!.repoPath("dirty"), "README.md");
  await Deno.writeTextFile(dirtyFile, "unsaved work on b\n");
  const localCommit = await b!.commitFile("diverged", "mine.txt", "b's commit\n", "local on b");
  await b!.commitFile("rebasing", "README.md", "b's version\n", "b edits readme");
  await a!.commitFile("rebasing", "README.md", "a's version\n", "a edits readme");
  assert.equal((await f.gitPush("a", "rebasing")).code, 0);
  await b!.git("rebasing", "fetch", "-q");
  await assert.rejects(b!.git("rebasing", "rebase", "origin/main"));
  const rebasingHead = await b!.git("rebasing", "rev-parse", "HEAD");

  const daemonB = await f.start("b");
  const daemonC = await f.start("c");
  await daemonB.waitForLine(/Watching 4 repositories/, 30_000);
  await daemonC.waitForLine(/Watching 4 repositories/, 30_000);

  const pushed: Record<string, string> = {};
  for (const repo of SCENARIOS) {
    pushed[repo] = await a!.commitFile(repo, "README.md", `a pushes ${repo}\n`, `push ${repo}`);
    const push = await f.gitPush("a", repo);
    assert.equal(push.code, 0, push.stderr);
  }

  for (const repo of SCENARIOS) {
    await waitFor(
      `c's ${repo} at the pushed commit`,
      async () => (await c!.head(repo)) === pushed[repo] || undefined,
    );
  }
  await waitFor(
    "b's clean clone at the pushed commit",
    async () => (await b!.head("clean")) === pushed.clean || undefined,
  );

  const status = await waitFor("b's dirty clone reported as blocked", async () => {
    const s = await statusJson(f, "c");
    const dirty = repoOf(s, "b", "dirty") as { state: string; sync?: { result: string } } | undefined;
    return dirty?.sync?.result === "blocked" ? s : undefined;
  });
  const dirty = repoOf(status, "b", "dirty")!;
  assert.equal(dirty.state, "BEHIND");
  assert.match(
    String((dirty.sync as { reason: string }).reason),
    /local changes would be overwritten: README\.md/,
  );
  assert.equal(await Deno.readTextFile(dirtyFile), "unsaved work on b\n");
  assert.notEqual(await b!.head("dirty"), pushed.dirty);

  const diverged = await waitFor("b's diverged clone reported", async () => {
    const repo = repoOf(await statusJson(f, "c"), "b", "diverged");
    return repo?.state === "DIVERGED" ? repo : undefined;
  });
  assert.equal(diverged.head, localCommit);
  assert.equal(await b!.head("diverged"), localCommit);

  const rebasing = repoOf(await statusJson(f, "c"), "b", "rebasing")!;
  assert.equal(rebasing.operation, "rebase");
  assert.equal(await b!.git("rebasing", "rev-parse", "HEAD"), rebasingHead);
  assert.ok(await Deno.stat(join(b!.repoPath("rebasing"), ".git", "rebase-merge")));
});

Deno.test("a hook that existed before install still runs and can still reject the push", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const hooks = join(a.repoPath("repo1"), ".git", "hooks");
  const marker = join(f.ws.root, "previous-hook-ran");
  const reject = join(f.ws.root, "reject");
  const previous = `#!/bin/sh\nwhile read line; do echo "$line" >> '${marker}'; done\n[ ! -e '${reject}' ]\n`;
  await Deno.writeTextFile(join(hooks, "pre-push"), previous, { mode: 0o755 });

  await f.ok("a", ["hooks", "install"]);
  await f.ok("a", ["hooks", "install"]); // idempotent
  const daemonB = await f.start("b");
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);

  await Deno.writeTextFile(reject, "");
  const rejected = await a.commitFile("repo1", "x.txt", "1\n", "rejected push");
  const first = await f.gitPush("a", "repo1");
  assert.notEqual(first.code, 0, "the previous hook rejected, so the push must fail");
  assert.match(await Deno.readTextFile(marker), new RegExp(`refs/heads/main ${rejected}`));
  assert.notEqual(await f.ws.originHead("repo1"), rejected);

  await Deno.remove(reject);
  const second = await f.gitPush("a", "repo1");
  assert.equal(second.code, 0, second.stderr);
  await waitFor(
    "b at the accepted push",
    async () => (await f.machine("b").head("repo1")) === rejected || undefined,
  );

  await f.ok("a", ["hooks", "uninstall"]);
  assert.equal(await Deno.readTextFile(join(hooks, "pre-push")), previous);
});

Deno.test("with SNS unreachable the push still succeeds at once and the event is published later", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  await f.ok("a", ["hooks", "install"]);
  const daemonB = await f.start("b");
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);

  const sha = await a.commitFile("repo1", "offline.txt", "1\n", "pushed while AWS is down");
  const push = await f.gitPush("a", "repo1", [], { AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:9" });
  assert.equal(push.code, 0, push.stderr);
  // The hook leaves the event in the outbox and a publisher in the background tries SNS: git waits for
  // neither. The bound leaves room for a loaded test machine.
  assert.doesNotMatch(push.stderr, /not announced/);
  assert.ok(push.ms < 2000, `push took ${Math.round(push.ms)} ms`);

  // A's daemon finds the event in the outbox and publishes it; B then fast-forwards.
  const daemonA = await f.start("a");
  await daemonA.waitForLine(/Published the push of repo1 from the outbox/, 30_000);
  await waitFor(
    "b at the pushed commit",
    async () => (await f.machine("b").head("repo1")) === sha || undefined,
  );
});

Deno.test("malformed and hostile messages are logged and deleted, and the next real push still applies", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  await f.ok("a", ["hooks", "install"]);
  const daemonB = await f.start("b");
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);

  const { SNSClient, PublishCommand } = await import("@aws-sdk/client-sns");
  const sns = new SNSClient({
    region: "us-east-1",
    endpoint: f.emulators.sns,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const topicArn = (await f.ok("a", ["status", "--local", "--json"]), await topicOf(f));
  const sha = "0123456789abcdef0123456789abcdef01234567";
  const hostile = [
    "this is not json",
    JSON.stringify({
      v: 1,
      type: "push",
      source: "a",
      repository: "../../etc",
      remote: "origin",
      refs: [{ ref: "refs/heads/main", sha }],
      at: new Date().toISOString(),
    }),
    JSON.stringify({
      v: 1,
      type: "push",
      source: "a",
      repository: "repo1",
      remote: "origin",
      refs: [{ ref: "refs/heads/../../x", sha }],
      at: new Date().toISOString(),
    }),
    JSON.stringify({ v: 9, type: "push" }),
  ];
  for (const [i, body] of hostile.entries()) {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: body,
        MessageGroupId: "repo1",
        MessageDeduplicationId: `bad-${i}`,
      }),
    );
  }
  sns.destroy();

  const sha2 = await f.machine("a").commitFile("repo1", "after.txt", "1\n", "real push after garbage");
  assert.equal((await f.gitPush("a", "repo1")).code, 0);
  await waitFor(
    "b at the real push",
    async () => (await f.machine("b").head("repo1")) === sha2 || undefined,
    20_000,
  );
  const log = daemonB.output();
  assert.match(log, /Discarding message .*not JSON/);
  assert.match(log, /Skipping push of \.\.\/\.\.\/etc from a: not configured here/);
  assert.match(log, /Discarding message .*refs\[0\]\.ref/);
  assert.match(log, /Discarding message .*unsupported event version 9/);
  await assert.rejects(Deno.stat(join(f.ws.root, "etc")), Deno.errors.NotFound);
});

async function topicOf(f: Awaited<ReturnType<typeof fleet>>): Promise<string> {
  const text = await Deno.readTextFile(join(f.machine("a").home, ".gitargus", "config.yml"));
  const match = /arn:aws:sns:[^\s"']+/.exec(text);
  if (!match) throw new Error("setup-aws recorded no topic ARN");
  return match[0];
}

Deno.test("with A's daemon running, the hook hands the event over, and a --no-verify push is noticed too", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["repo1"], setupAws: true });
  const a = f.machine("a");
  const daemonA = await f.start("a");
  const daemonB = await f.start("b");
  await daemonA.waitForLine(/Watching 1 repositories/, 30_000);
  await daemonB.waitForLine(/Watching 1 repositories/, 30_000);

  const relayed = await a.commitFile("repo1", "relayed.txt", "1\n", "relayed by the daemon");
  const push = await f.gitPush("a", "repo1");
  assert.equal(push.code, 0, push.stderr);
  await waitFor(
    "b at the relayed push",
    async () => (await f.machine("b").head("repo1")) === relayed || undefined,
  );
  assert.match(daemonA.output(), /Published the push of repo1 from the outbox/);

  const silent = await a.commitFile("repo1", "silent.txt", "1\n", "pushed without hooks");
  assert.equal((await f.gitPush("a", "repo1", ["--no-verify"])).code, 0);
  await daemonA.waitForLine(/Announcing a push of repo1 that its hook did not announce/, 15_000);
  await waitFor(
    "b at the unannounced push",
    async () => (await f.machine("b").head("repo1")) === silent || undefined,
  );
});
