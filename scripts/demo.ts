/**
 * `deno task demo`: two simulated machines around a shared origin, on local AWS emulators. Both run the
 * daemon; one commits and pushes; the other fast-forwards; `gitargus status` shows both. Loopback only, no AWS
 * account, everything removed at the end.
 */

import { join } from "node:path";
import { fleet } from "../tests/helpers/fleet.ts";

const REPO = "hello-world";
const started = performance.now();
const step = (text: string) => console.log(`\n▶ ${text}`);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

step("Starting local DynamoDB, SNS and SQS emulators and two machines, 'desktop' and 'laptop'");
await using f = await fleet({ machines: ["desktop", "laptop"], repositories: [REPO], setupAws: true });
const desktop = f.machine("desktop");
const laptop = f.machine("laptop");
console.log(`  origin:  ${f.ws.originPath(REPO)}`);
console.log(`  desktop: ${desktop.repoPath(REPO)}`);
console.log(`  laptop:  ${laptop.repoPath(REPO)}`);
console.log("  `gitargus setup-aws` created the table, the topic and one queue per machine.");

step("Running `gitargus run` on both machines (it also installs the pre-push hook)");
const daemons = [await f.start("desktop"), await f.start("laptop")];
for (const daemon of daemons) await daemon.waitForLine(/Watching 1 repositories/, 60_000);

step("On the desktop: commit and `git push`");
const sha = await desktop.commitFile(
  REPO,
  "NOTES.md",
  "Written on the desktop.\n",
  "Add notes from the desktop",
);
const push = await f.gitPush("desktop", REPO);
if (push.code !== 0) throw new Error(`git push failed: ${push.stderr}`);
const pushed = performance.now();
console.log(`  pushed ${sha.slice(0, 7)} in ${Math.round(push.ms)} ms`);

step("On the laptop: waiting for the daemon to fast-forward");
while ((await laptop.head(REPO)) !== sha) {
  if (performance.now() - pushed > 30_000) throw new Error("the laptop did not fast-forward within 30 s");
  await new Promise((resolve) => setTimeout(resolve, 20));
}
console.log(
  `  laptop is at ${sha.slice(0, 7)}, ${Math.round(performance.now() - pushed)} ms after the push returned`,
);

step("Leaving some unsaved work on the laptop, then `gitargus status` from the desktop");
await Deno.writeTextFile(join(laptop.repoPath(REPO), "draft.txt"), "not committed yet\n");
await new Promise((resolve) => setTimeout(resolve, 2000));
const status = await f.cli("desktop", ["status"], { env: { NO_COLOR: "1" } });
console.log(status.stdout.replace(/^/gm, "  "));

for (const daemon of daemons) await daemon.stop();
step(`Done in ${elapsed()}; the emulators and temp folders are being removed.`);
console.log(`
To go real, on each machine:
  1. gitargus init --root ~/Workspace      # writes ~/.gitargus/config.yml
  2. gitargus setup-aws                    # table, topic, this machine's queue (uses your AWS credentials)
  3. gitargus install-service --enable     # the daemon as a systemd user service
  4. gitargus status                       # every machine side by side
See README.md for the IAM policy, the config reference and troubleshooting.`);
