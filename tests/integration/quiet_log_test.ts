/**
 * The daemon's log at its normal level says what changed, once: full updates that find nothing new print no
 * line about any repository, and a repository that is diverged, held back or failing warns when it gets so,
 * not on every reconcile. Real clones, the daemon in this process, its log lines collected.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { localDaemon } from "../helpers/local_daemon.ts";

interface Collected extends AsyncDisposable {
  /** Lines at info and above since the last call, as `LEVEL message`. */
  take(): string[];
}

async function collectLog(): Promise<Collected> {
  const records: LogRecord[] = [];
  await configure({
    reset: true,
    sinks: { memory: (record: LogRecord) => records.push(record) },
    loggers: [
      { category: ["gitargus"], lowestLevel: "info", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["memory"] },
    ],
  });
  return {
    take: () => records.splice(0).map((r) => `${r.level.toUpperCase()} ${render(r)}`),
    [Symbol.asyncDispose]: () => reset(),
  };
}

function render(record: LogRecord): string {
  return record.message.map((part) => typeof part === "string" ? part : String(part)).join("");
}

const REPOSITORIES = ["clean", "diverged", "held", "unreachable", "deleted"];

Deno.test("full updates that find nothing new log nothing at info, and each problem warns once", async () => {
  await using ws = await gitWorkspace({ machines: ["a", "b"], repositories: REPOSITORIES });
  const a = ws.machine("a");
  const b = ws.machine("b");
  // diverged: a commit here, another on the remote.
  await a.commitFile("diverged", "here.txt", "1\n", "local work");
  await b.commitFile("diverged", "there.txt", "1\n", "remote work");
  await b.push("diverged");
  // held: behind the remote, with a local change to the file the remote changed.
  await b.commitFile("held", "README.md", "remote\n", "remote edit");
  await b.push("held");
  await Deno.writeTextFile(join(a.repoPath("held"), "README.md"), "local edit\n");
  // unreachable: its remote points at a folder that does not exist.
  await a.git("unreachable", "remote", "set-url", "origin", join(ws.root, "no-such-origin.git"));
  // deleted: configured, gone from disk.
  await Deno.remove(a.repoPath("deleted"), { recursive: true });

  await using log = await collectLog();
  const { daemon } = localDaemon(a, REPOSITORIES);
  await daemon.once();
  const first = log.take();
  for (const name of ["diverged", "held", "unreachable", "deleted"]) {
    const about = first.filter((line) => line.startsWith("WARN") && line.includes(name));
    assert.ok(about.length >= 1, `the first update warns about ${name}:\n${first.join("\n")}`);
  }
  assert.deepEqual(
    first.filter((line) => line.includes("clean")),
    [],
    "an up-to-date repository gives no line",
  );

  for (let round = 2; round <= 3; round++) {
    await daemon.fullUpdate();
    assert.deepEqual(log.take(), [], `full update ${round} found nothing new and logs nothing`);
  }
});

Deno.test("a problem that goes away and comes back warns again", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const origin = ws.originPath("repo1");
  await using log = await collectLog();
  const { daemon } = localDaemon(a, ["repo1"]);
  await daemon.once();
  assert.deepEqual(log.take().filter((line) => line.includes("repo1")), []);

  await a.git("repo1", "remote", "set-url", "origin", `${origin}-gone`);
  await daemon.fullUpdate();
  assert.equal(log.take().filter((line) => line.startsWith("WARN")).length, 1);

  await a.git("repo1", "remote", "set-url", "origin", origin);
  await daemon.fullUpdate();
  assert.deepEqual(log.take(), ["INFO Fetch of repo1 works again"]);
  await daemon.fullUpdate();
  assert.deepEqual(log.take(), []);

  await a.git("repo1", "remote", "set-url", "origin", `${origin}-gone`);
  await daemon.fullUpdate();
  const again = log.take();
  assert.equal(again.filter((line) => line.startsWith("WARN")).length, 1, again.join("\n"));
});
