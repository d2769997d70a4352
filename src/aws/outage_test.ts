import assert from "node:assert/strict";
import { AwsError } from "../errors.ts";
import { type EndedOutage, isMissingResource, type OutageLog, OutageTracker } from "./outage.ts";

interface Line {
  level: string;
  text: string;
}

/** Records what the tracker logs, with the properties filled into the message. */
function recordingLog(): { log: OutageLog; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, props: Record<string, unknown> = {}) => {
    lines.push({ level, text: message.replace(/\{(\w+)\}/g, (_, key: string) => String(props[key])) });
  };
  return { log: { info: at("info"), warn: at("warn"), error: at("error") } as unknown as OutageLog, lines };
}

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => now += ms };
}

const refused = new AwsError(
  'Receiving from "q"',
  Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
);
const missingQueue = new AwsError(
  'Finding SQS queue "gitargus-b"',
  Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" }),
);

Deno.test("OutageTracker logs an outage once when it starts and once when it ends, with its length", () => {
  const { log, lines } = recordingLog();
  const clock = fakeClock();
  const outages = new OutageTracker(log, clock.now);
  for (let i = 0; i < 20; i++) {
    outages.failed("sqs", refused);
    clock.advance(1500);
  }
  outages.succeeded("sqs");
  outages.succeeded("sqs");
  assert.equal(lines.length, 2, lines.map((l) => l.text).join("\n"));
  assert.equal(lines[0]!.level, "warn");
  assert.match(
    lines[0]!.text,
    /^SQS unavailable, retrying quietly until it answers: Receiving from "q" failed/,
  );
  assert.equal(lines[1]!.level, "info");
  assert.equal(lines[1]!.text, "SQS answers again after 30.0 s (20 failed calls)");
});

Deno.test("OutageTracker keeps each service's outage apart", () => {
  const { log, lines } = recordingLog();
  const outages = new OutageTracker(log, fakeClock().now);
  outages.failed("dynamodb", refused);
  outages.failed("sns", refused);
  outages.failed("dynamodb", refused);
  assert.equal(outages.isDown("dynamodb"), true);
  assert.equal(outages.isDown("sqs"), false);
  outages.succeeded("sns");
  assert.equal(outages.isDown("sns"), false);
  assert.equal(outages.isDown("dynamodb"), true);
  assert.deepEqual(lines.map((l) => l.text.split(" ")[0]), ["DynamoDB", "SNS", "SNS"]);
});

Deno.test("OutageTracker names the fix when the resource is gone, and says so once more if it turns missing", () => {
  const { log, lines } = recordingLog();
  const outages = new OutageTracker(log, fakeClock().now);
  outages.failed("sqs", refused);
  outages.failed("sqs", missingQueue);
  outages.failed("sqs", missingQueue);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.level, "error");
  assert.match(
    lines[1]!.text,
    /^Finding SQS queue "gitargus-b" failed: QueueDoesNotExist: .*run `gitargus setup-aws` .*`gitargus doctor`/,
  );
});

Deno.test("OutageTracker tells recovery listeners once per outage, with its kind and length", () => {
  const { log } = recordingLog();
  const clock = fakeClock();
  const outages = new OutageTracker(log, clock.now);
  const ended: EndedOutage[] = [];
  outages.onRecovery((e) => ended.push(e));
  outages.succeeded("dynamodb");
  const table = new AwsError(
    "Writing",
    Object.assign(new Error("gone"), { name: "ResourceNotFoundException" }),
  );
  outages.failed("dynamodb", table);
  clock.advance(4000);
  outages.failed("dynamodb", table);
  outages.succeeded("dynamodb");
  outages.succeeded("dynamodb");
  assert.deepEqual(ended, [{
    service: "dynamodb",
    kind: "missing",
    ms: 4000,
    failures: 2,
    resourceWasMissing: true,
  }]);
});

Deno.test("OutageTracker.changed() settles at the start and at the end of an outage", async () => {
  const outages = new OutageTracker(recordingLog().log, fakeClock().now);
  const started = outages.changed();
  outages.failed("sns", refused);
  await started;
  const ended = outages.changed();
  let settled = false;
  void ended.then(() => settled = true);
  outages.failed("sns", refused);
  await Promise.resolve();
  assert.equal(settled, false, "a retry within the outage is no change");
  outages.succeeded("sns");
  await ended;
});

Deno.test("isMissingResource() knows the names of a missing table, topic and queue across protocols", () => {
  const named = (name: string) => new AwsError("x", Object.assign(new Error("m"), { name }));
  for (
    const name of [
      "ResourceNotFoundException",
      "QueueDoesNotExist",
      "AWS.SimpleQueueService.NonExistentQueue",
      "NotFoundException",
      "NotFound",
    ]
  ) assert.equal(isMissingResource(named(name)), true, name);
  assert.equal(isMissingResource(Object.assign(new Error("m"), { Code: "NotFound" })), true);
  assert.equal(isMissingResource(refused), false);
  assert.equal(isMissingResource(named("ThrottlingException")), false);
  assert.equal(isMissingResource("NotFound"), false);
});

Deno.test("OutageTracker: a call sent before the service answered again starts no logged outage", () => {
  const { log, lines } = recordingLog();
  const clock = fakeClock();
  const outages = new OutageTracker(log, clock.now);
  const recovered: EndedOutage[] = [];
  outages.onRecovery((ended) => recovered.push(ended));
  outages.failed("dynamodb", refused);
  const hung = outages.sending();
  clock.advance(1000);
  outages.succeeded("dynamodb");
  clock.advance(7000);
  // The hung call ends at its deadline: its work is retried as in an outage, and nothing is logged.
  outages.failed("dynamodb", refused, hung);
  assert.equal(outages.isDown("dynamodb"), true);
  assert.equal(lines.length, 2, lines.map((l) => l.text).join("\n"));
  outages.succeeded("dynamodb");
  assert.equal(lines.length, 2);
  assert.equal(recovered.length, 2, "the retried work is written at the answer");
  // A call sent after the answer that fails is news again.
  outages.failed("dynamodb", refused, hung);
  const fresh = outages.sending();
  outages.failed("dynamodb", refused, fresh);
  assert.equal(lines.length, 3);
  assert.match(lines[2]!.text, /DynamoDB unavailable/);
});
