/**
 * Attention items through the real CLI and daemon on the emulators: a fake `notify-send` and a recording
 * `notify.command` on the daemon's PATH, and hooks that record their events (and one that hangs).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Fleet, fleet } from "../helpers/fleet.ts";
import { denoEnv, waitFor } from "../helpers/cli.ts";
import { faultProxy } from "../helpers/fault_proxy.ts";
import { holdFault } from "../helpers/faulty_fleet.ts";

interface Recorder {
  dir: string;
  /** PATH with the fake `notify-send` first. */
  path: string;
  desktop(): Promise<string[]>;
  command(): Promise<Array<Record<string, unknown>>>;
  hooks(): Promise<Array<Record<string, unknown>>>;
}

async function recorder(f: Fleet): Promise<Recorder> {
  const dir = join(f.ws.root, "recorded");
  const bin = join(dir, "bin");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(
    join(bin, "notify-send"),
    `#!/bin/sh\nprintf '%s|' "$@" >> "${dir}/desktop.log"\necho >> "${dir}/desktop.log"\n`,
    { mode: 0o755 },
  );
  const lines = async (file: string) =>
    (await Deno.readTextFile(join(dir, file)).catch(() => "")).split("\n").filter((l) => l !== "");
  return {
    dir,
    path: `${bin}:${(await denoEnv()).PATH}`,
    desktop: () => lines("desktop.log"),
    command: async () => (await lines("command.jsonl")).map((l) => JSON.parse(l)),
    hooks: async () => (await lines("hooks.jsonl")).map((l) => JSON.parse(l)),
  };
}

function notifyConfig(rec: Recorder, extra: Record<string, unknown> = {}) {
  return {
    desktop: true,
    command: `cat >> "${rec.dir}/command.jsonl"`,
    workAtRiskMinutes: 0,
    awsUnreachableMinutes: 0,
    othersSeconds: 5,
    ...extra,
  };
}

/** The machine's config with these notify settings (and the fleet's fast heartbeat). */
function writeConfig(
  f: Fleet,
  machine: string,
  notify: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return f.machine(machine).writeConfig({
    daemon: { heartbeatSeconds: 5 },
    aws: { dynamodb: { table: "gitargus" } },
    notify,
    ...extra,
  });
}

const itemOf = (line: Record<string, unknown>) => line.item as { id: string; kind: string } | undefined;

Deno.test("a blocked fast-forward is notified once, listed by status --attention and cleared when resolved; hooks get their JSON and a hanging one is killed", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["dirty", "clean"], setupAws: true });
  const rec = await recorder(f);
  await writeConfig(f, "b", notifyConfig(rec, { kinds: { workAtRisk: false, offlineWithWork: false } }), {
    hooks: {
      onEvent: [
        { command: "sleep 60", events: ["push"], timeoutSeconds: 1 },
        { command: `cat >> "${rec.dir}/hooks.jsonl"`, events: ["push", "fast-forwarded", "attention"] },
      ],
    },
  });
  await f.ok("b", ["setup-aws"]);
  await f.ok("a", ["hooks", "install"]);
  const a = f.machine("a");
  const b = f.machine("b");
  await Deno.writeTextFile(join(b.repoPath("dirty"), "README.md"), "unsaved work on b\n");
  const daemon = await f.start("b", ["run"], { env: { PATH: rec.path } });
  await daemon.waitForLine(/Watching 2 repositories/, 30_000);

  const pushed = await a.commitFile("clean", "README.md", "from a\n", "a edits clean");
  await a.commitFile("dirty", "README.md", "from a\n", "a edits dirty");
  for (const repo of ["clean", "dirty"]) assert.equal((await f.gitPush("a", repo)).code, 0);

  await waitFor(
    "the blocked item on the desktop",
    async () => (await rec.desktop()).length === 1 || undefined,
    30_000,
  );
  const [shown] = await rec.desktop();
  assert.match(shown!, /Fast-forward blocked\|dirty on b: not fast-forwarded/);
  const raised = await waitFor(
    "the blocked item sent to the command",
    async () =>
      (await rec.command()).find((l) => l.event === "raised" && itemOf(l)?.id === "blocked:b:dirty"),
  );
  assert.equal(raised.kind, "blocked");

  const hooks = await waitFor("push and fast-forwarded events in the hook", async () => {
    const events = await rec.hooks();
    const types = new Set(events.map((e) => `${e.type} ${e.repository ?? ""}`));
    return types.has("push clean") && types.has("push dirty") && types.has("fast-forwarded clean")
      ? events
      : undefined;
  }, 30_000);
  const ff = hooks.find((e) => e.type === "fast-forwarded")!;
  assert.equal(ff.host, "b");
  assert.equal(ff.head, pushed);
  assert.ok(hooks.some((e) => e.type === "attention" && e.change === "raised"));
  await daemon.waitForLine(/Event hook "?sleep 60"? \(push\) killed after 1 s/, 15_000);

  const listed = await waitFor("the item in status --attention", async () => {
    const out = (await f.ok("b", ["status", "--attention"])).stdout;
    return out.includes("Fast-forward blocked") ? out : undefined;
  });
  assert.match(listed, /Attention \(b's daemon\):/);
  const json = JSON.parse((await f.ok("a", ["status", "--json"])).stdout);
  const host = json.hosts.find((h: { hostname: string }) => h.hostname === "b");
  assert.deepEqual(host.attention.map((i: { id: string }) => i.id), ["blocked:b:dirty"]);

  await b.git("dirty", "checkout", "--", "README.md");
  await waitFor(
    "the blocked item cleared",
    async () =>
      (await rec.command()).find((l) => l.event === "cleared" && itemOf(l)?.id === "blocked:b:dirty"),
    30_000,
  );
  assert.equal((await rec.desktop()).length, 1, "one pop-up for the item, none for its end");
  assert.equal((await rec.command()).filter((l) => l.event === "raised").length, 1);
});

Deno.test("a burst is one digest, and while AWS is unreachable only the offline item is delivered", async () => {
  const repos = ["r1", "r2", "r3", "r4", "r5", "late"];
  await using f = await fleet({ machines: ["a", "b"], repositories: repos, setupAws: true });
  const rec = await recorder(f);
  await using proxy = await faultProxy(f.emulators.env().AWS_ENDPOINT_URL_DYNAMODB!);
  await writeConfig(f, "b", notifyConfig(rec, { kinds: { workAtRisk: false, offlineWithWork: false } }));
  await f.ok("b", ["setup-aws"]);
  const a = f.machine("a");
  const b = f.machine("b");
  // Five repositories that cannot be fast-forwarded, all found at the daemon's start.
  for (const repo of repos) {
    await Deno.writeTextFile(join(b.repoPath(repo), "README.md"), "unsaved work on b\n");
    if (repo === "late") continue;
    await a.commitFile(repo, "README.md", "from a\n", `a edits ${repo}`);
    await a.push(repo);
  }
  // Announced from here on: the pushes above are found by the daemon's start-up full update.
  await f.ok("a", ["hooks", "install"]);
  const daemon = await f.start("b", ["run"], {
    env: { PATH: rec.path, AWS_ENDPOINT_URL_DYNAMODB: proxy.url },
  });
  await daemon.waitForLine(/Watching 6 repositories/, 30_000);
  await waitFor("the digest", async () => (await rec.desktop()).length > 0 || undefined, 15_000);
  const [first] = await rec.desktop();
  assert.match(first!, /GitArgus: 5 items need attention/);
  const digest = await waitFor(
    "the digest sent to the command",
    async () => (await rec.command()).find((l) => l.event === "digest"),
  );
  assert.equal((digest.items as unknown[]).length, 5);

  await proxy.set("down");
  await waitFor(
    "the offline item",
    async () => (await rec.command()).find((l) => itemOf(l)?.kind === "awsUnreachable"),
    30_000,
  );
  // A new problem while offline: held.
  await a.commitFile("late", "README.md", "from a\n", "a edits late");
  assert.equal((await f.gitPush("a", "late")).code, 0);
  await daemon.waitForLine(/Fast-forward of late: blocked/, 30_000);
  const offlineDelivered = (await rec.command()).length;
  // What is tested is that nothing follows: the outage is held past a burst window (2 s).
  await holdFault(3_000);
  assert.equal((await rec.command()).length, offlineDelivered, "nothing but the offline item while offline");

  await proxy.set("pass");
  // Both follow once AWS answers, in either order: the held item and the offline item's clearing.
  await waitFor("the held item and the offline item cleared once AWS answers", async () => {
    const lines = await rec.command();
    const held = lines.some((l) => l.event === "raised" && itemOf(l)?.id === "blocked:b:late");
    const cleared = lines.some((l) => l.event === "cleared" && itemOf(l)?.kind === "awsUnreachable");
    return held && cleared ? lines : undefined;
  }, 30_000);
});

Deno.test("work left on another machine is an item, and one item for that machine once it goes offline", async () => {
  await using f = await fleet({ machines: ["a", "b"], repositories: ["api", "web"], setupAws: true });
  const rec = await recorder(f);
  await writeConfig(f, "b", notifyConfig(rec, { desktop: false }));
  await Deno.writeTextFile(join(f.machine("a").repoPath("api"), "notes.txt"), "not committed\n");
  const laptop = await f.start("a");
  await laptop.waitForLine(/Watching 2 repositories/, 30_000);
  const daemon = await f.start("b", ["run"], { env: { PATH: rec.path } });
  await daemon.waitForLine(/Watching 2 repositories/, 30_000);

  const atRisk = await waitFor(
    "work at risk on a",
    async () => (await rec.command()).find((l) => itemOf(l)?.id === "workAtRisk:a:api"),
    30_000,
  );
  assert.match(String((atRisk.item as { summary: string }).summary), /api on a: uncommitted/);

  assert.equal(await laptop.stop(), 0);
  await waitFor("a offline with work on it", async () => {
    const lines = await rec.command();
    const offline = lines.find((l) => l.event === "raised" && itemOf(l)?.id === "offlineWithWork:a");
    const cleared = lines.find((l) => l.event === "cleared" && itemOf(l)?.id === "workAtRisk:a:api");
    return offline && cleared;
  }, 30_000);
});
