/**
 * How long a push event may hold its repository: on real clones, through the real queue on the emulator.
 * Each case would keep the repository waiting for the whole push wait (30 s) if the wait did not end early,
 * so "applied within 10 s" is what each one checks.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { gitWorkspace, type Machine } from "../helpers/git_fixture.ts";
import { awsClients, startEmulatorProcess } from "../helpers/emulators.ts";
import { waitFor } from "../helpers/cli.ts";
import {
  createQueue,
  type DaemonOptions,
  pushEventBody,
  type RunningDaemon,
  sendBodies,
  startDaemon,
} from "../helpers/daemon_harness.ts";
import type { Clock } from "../../src/util/clock.ts";

const NEVER = "0123456789abcdef0123456789abcdef01234567";
const PROMPTLY_MS = 10_000;
const NOT_ON_REMOTE = /not on the remote/;

let queues = 0;

/** A daemon for machine b on its own fresh queue, started once its first full update is done. */
async function daemonOf(
  sqs: SQSClient,
  options: Omit<DaemonOptions, "sqs" | "queue">,
): Promise<RunningDaemon & { send: (repo: string, refs: Ref[], remote?: string) => Promise<void> }> {
  const queue = `b-${++queues}.fifo`;
  const url = await createQueue(sqs, queue);
  const running = await startDaemon({ ...options, sqs, queue });
  await waitFor(
    "the daemon watching",
    () => Promise.resolve(running.lines().some((l) => l.startsWith("Watching"))),
  );
  return Object.assign(running, {
    async send(repo: string, refs: Ref[], remote?: string) {
      await sendBodies(sqs, url, [{
        body: pushEventBody(repo, refs, remote ? { remote } : {}),
        group: repo,
      }]);
    },
  });
}

interface Ref {
  ref: string;
  sha: string;
}

const main = (sha: string): Ref => ({ ref: "refs/heads/main", sha });

function appliedPromptly(b: Machine, repo: string, sha: string, timeoutMs = PROMPTLY_MS): Promise<true> {
  return waitFor(
    `b's ${repo} at ${sha.slice(0, 7)}`,
    async () => (await b.head(repo)) === sha || undefined,
    timeoutMs,
  );
}

function skewed(offsetMs: number): Clock {
  return {
    now: () => new Date(Date.now() + offsetMs),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

Deno.test("push events end their wait early", async (t) => {
  await using emulators = await startEmulatorProcess();
  using aws = awsClients(emulators);

  await t.step("a newer push supersedes an older one whose sha never arrives", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await a.git("repo1", "push", "--quiet", "origin", "main:dev");
    await b.git("repo1", "fetch", "--quiet");
    await b.git("repo1", "branch", "--quiet", "--track", "dev", "origin/dev");
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    await daemon.send("repo1", [{ ref: "refs/heads/dev", sha: NEVER }]);
    const sha = await a.commitFile("repo1", "f.txt", "1\n", "real");
    await a.push("repo1");
    await daemon.send("repo1", [main(sha)]);
    await appliedPromptly(b, "repo1", sha);
  });

  await t.step("a wait ends once the remote ref moved past the pushed sha", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    const first = await a.commitFile("repo1", "f.txt", "1\n", "first");
    const second = await a.commitFile("repo1", "f.txt", "2\n", "second");
    await a.push("repo1");
    await daemon.send("repo1", [main(first)]);
    await appliedPromptly(b, "repo1", second);
    assert.doesNotMatch(daemon.lines().join("\n"), NOT_ON_REMOTE);
  });

  await t.step("a wait ends once a later force-push moved the remote ref elsewhere", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    const replaced = await a.commitFile("repo1", "f.txt", "1\n", "never pushed");
    await a.git("repo1", "reset", "--quiet", "--hard", "HEAD~1");
    const landed = await a.commitFile("repo1", "g.txt", "1\n", "pushed instead");
    await a.push("repo1");
    await daemon.send("repo1", [main(replaced)]);
    await appliedPromptly(b, "repo1", landed);
    assert.doesNotMatch(daemon.lines().join("\n"), NOT_ON_REMOTE);
  });

  await t.step("a tag in the push never holds back the branch", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    const sha = await a.commitFile("repo1", "f.txt", "1\n", "tagged");
    await a.push("repo1");
    await daemon.send("repo1", [{ ref: "refs/tags/v1", sha: NEVER }, main(sha)]);
    await appliedPromptly(b, "repo1", sha);
    assert.doesNotMatch(daemon.lines().join("\n"), NOT_ON_REMOTE);
  });

  await t.step("a push of a tag alone is fetched once, without waiting", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    await a.git("repo1", "tag", "v2");
    await a.git("repo1", "push", "--quiet", "origin", "v2");
    const sha = await a.head("repo1");
    await daemon.send("repo1", [{ ref: "refs/tags/v2", sha }]);
    await waitFor(
      "the tag on b",
      async () => (await b.git("repo1", "tag", "--list", "v2")) === "v2" || undefined,
    );
    assert.doesNotMatch(daemon.lines().join("\n"), NOT_ON_REMOTE);
  });

  await t.step("a branch a single-branch clone does not fetch is not waited for", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await b.git("repo1", "config", "remote.origin.fetch", "+refs/heads/main:refs/remotes/origin/main");
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    const feature = await a.commitFile("repo1", "feature.txt", "1\n", "feature");
    await a.git("repo1", "push", "--quiet", "origin", "HEAD:refs/heads/feature");
    const sha = await a.commitFile("repo1", "f.txt", "1\n", "main");
    await a.push("repo1");
    await daemon.send("repo1", [{ ref: "refs/heads/feature", sha: feature }, main(sha)]);
    await appliedPromptly(b, "repo1", sha);
    assert.doesNotMatch(daemon.lines().join("\n"), NOT_ON_REMOTE);
  });

  await t.step(
    "the remote whose URL matches the pusher's is watched, whatever either side names it",
    async () => {
      await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1", "other"] });
      const [a, b] = [ws.machine("a"), ws.machine("b")];
      await b.git("repo1", "remote", "rename", "origin", "upstream");
      await b.git("repo1", "remote", "add", "fork", ws.originPath("other"));
      await b.git("repo1", "fetch", "--quiet", "fork");
      await b.git("repo1", "branch", "--quiet", "--track", "fork-main", "fork/main");
      await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ["repo1"] });
      const sha = await a.commitFile("repo1", "f.txt", "1\n", "to upstream");
      await a.push("repo1");
      await daemon.send("repo1", [main(sha)], `file://${ws.originPath("repo1")}/`);
      await appliedPromptly(b, "repo1", sha);
      const second = await a.commitFile("repo1", "f.txt", "2\n", "named, not by URL");
      await a.push("repo1");
      await daemon.send("repo1", [main(second)], "origin");
      await appliedPromptly(b, "repo1", second);
    },
  );

  await t.step("a pushed sha already fetched is neither waited for nor fetched again", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    await using daemon = await daemonOf(aws.sqs, { machine: b, repositories: ws.repositories });
    const sha = await a.commitFile("repo1", "f.txt", "1\n", "fetched by hand");
    await a.push("repo1");
    await b.git("repo1", "fetch", "--quiet");
    const fetches = daemon.runner.fetches;
    await daemon.send("repo1", [main(sha)]);
    await appliedPromptly(b, "repo1", sha);
    assert.equal(daemon.runner.fetches, fetches, "no fetch for a push that is already here");
  });

  for (const [direction, offset] of [["ahead", 120_000], ["behind", -120_000]] as const) {
    await t.step(`a push is applied when this machine's clock runs two minutes ${direction}`, async () => {
      await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1"] });
      const [a, b] = [ws.machine("a"), ws.machine("b")];
      await using daemon = await daemonOf(aws.sqs, {
        machine: b,
        repositories: ws.repositories,
        clock: skewed(offset),
      });
      const sha = await a.commitFile("repo1", "f.txt", "1\n", "fresh");
      await a.push("repo1");
      await daemon.send("repo1", [main(sha)]);
      await appliedPromptly(b, "repo1", sha);
    });
  }

  await t.step("the queue is read while the full update at start still waits on a hung remote", async () => {
    await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1", "hangs"] });
    const [a, b] = [ws.machine("a"), ws.machine("b")];
    const ssh = join(ws.root, "hanging-ssh");
    await Deno.writeTextFile(ssh, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
    await b.git("hangs", "remote", "set-url", "origin", "ssh://unreachable.example/hangs.git");
    const queue = `b-${++queues}.fifo`;
    const url = await createQueue(aws.sqs, queue);
    await using running = await startDaemon({
      machine: b,
      repositories: ws.repositories,
      sqs: aws.sqs,
      queue,
      gitEnv: { GIT_SSH_COMMAND: ssh },
      config: { fetchTimeoutSeconds: 10 },
    });
    await waitFor("repo1's part of the full update", async () => {
      const stored = await running.store.listRepositories("b");
      return stored.some((r) => r.name === "repo1") || undefined;
    });
    const sha = await a.commitFile("repo1", "f.txt", "1\n", "while b starts");
    await a.push("repo1");
    await sendBodies(aws.sqs, url, [{ body: pushEventBody("repo1", [main(sha)]), group: "repo1" }]);
    await appliedPromptly(b, "repo1", sha, 7_000);
    assert.ok(!running.lines().some((l) => l.startsWith("Watching")), "the full update was still running");
  });
});
