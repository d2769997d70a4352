/** Hostile queue messages: the parser on each of them, then all of them through the real receive loop. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { hostileMessages, sqsAccepts } from "../fixtures/hostile_messages.ts";
import { InvalidEventError, parsePushEvent } from "../../src/events/parse_event.ts";
import { needsEscape } from "../../src/util/escape.ts";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { waitFor } from "../helpers/cli.ts";
import { messagesLeft, pushEventBody, receivingMachine, sendBodies } from "../helpers/daemon_harness.ts";

const TARGET = { repository: "repo1", host: "b" };
const CORPUS = hostileMessages(TARGET);

Deno.test("the hostile corpus holds at least fifty messages, each named once", () => {
  assert.ok(CORPUS.length >= 50, `only ${CORPUS.length} messages`);
  assert.equal(new Set(CORPUS.map((m) => m.name)).size, CORPUS.length);
});

Deno.test("parsePushEvent() rejects every invalid hostile message with one short, escaped line", () => {
  for (const message of CORPUS.filter((m) => m.outcome === "discarded")) {
    let error: unknown;
    try {
      parsePushEvent(message.body);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof InvalidEventError, `${message.name}: expected a rejection, got ${error}`);
    assert.ok(
      !needsEscape(error.message),
      `${message.name}: unescaped text in ${JSON.stringify(error.message)}`,
    );
    assert.ok(error.message.length <= 200, `${message.name}: ${error.message.length} characters`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype is untouched");
});

Deno.test("parsePushEvent() accepts the hostile messages that are valid events", () => {
  for (const message of CORPUS.filter((m) => m.outcome !== "discarded")) {
    assert.doesNotThrow(() => parsePushEvent(message.body), message.name);
  }
});

Deno.test("hostile messages are each logged once and deleted, git runs only in configured clones, and a real push still applies", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: ["repo1", "repo2"] });
  const a = ws.machine("a");
  const b = ws.machine("b");
  await using receiving = await receivingMachine(b, ws.repositories);
  const { aws, url, running } = receiving;

  const sent = CORPUS.filter((m) => sqsAccepts(m.body));
  // Half share the real push's group, so they would hold it back if the loop waited on them.
  const ids = await sendBodies(
    aws.sqs,
    url,
    sent.map((m, i) => ({ body: m.body, group: i % 2 ? "repo1" : "x" })),
  );
  const sha = await a.commitFile("repo1", "real.txt", "1\n", "a real push after the hostile ones");
  await a.push("repo1");
  await sendBodies(aws.sqs, url, [{
    body: pushEventBody("repo1", [{ ref: "refs/heads/main", sha }]),
    group: "repo1",
  }]);

  await waitFor("b at the real push", async () => (await b.head("repo1")) === sha || undefined, 10_000);
  await waitFor("an empty queue", async () => (await messagesLeft(aws.sqs, url)) === 0 || undefined, 10_000);

  const lines = running.lines();
  for (const line of lines) assert.ok(!needsEscape(line), `unescaped log line ${JSON.stringify(line)}`);
  for (const line of lines) assert.ok(line.length < 400, `a log line of ${line.length} characters`);
  for (const [i, message] of sent.entries()) {
    const marker = message.source ?? (message.outcome === "discarded" ? ids[i]! : null);
    if (!marker) continue;
    const mentions = lines.filter((line) => line.includes(marker));
    assert.equal(
      mentions.length,
      1,
      `${message.name}: logged ${mentions.length} times:\n${mentions.join("\n")}`,
    );
  }
  const own = lines.filter((line) => line.includes("Skipping own push event for repo1"));
  assert.equal(own.length, 1, "the message from this host itself is logged once");
  const clones = new Set(ws.repositories.map((name) => b.repoPath(name)));
  for (const cwd of running.runner.cwds) assert.ok(clones.has(cwd), `git ran in "${cwd}"`);
  await assert.rejects(Deno.stat(join(ws.root, "etc")), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(join(b.repoPath("repo1"), "pwned")), Deno.errors.NotFound);
});
