/** The installed hook reads the config the hooks were installed with, not always the default one. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { stringify } from "yaml";
import { gitWorkspace } from "../helpers/git_fixture.ts";
import { denoEnv, runCli, waitFor } from "../helpers/cli.ts";
import { HOOK_MARKER } from "../../src/git/hooks.ts";

Deno.test("a hook installed with --config announces pushes with that config", async () => {
  await using ws = await gitWorkspace({ machines: ["a"], repositories: ["repo1"] });
  const a = ws.machine("a");
  const file = join(a.home, "elsewhere", "gitargus.yml");
  await Deno.mkdir(join(a.home, "elsewhere"));
  // SNS is unreachable, so the hook keeps the event in the outbox: proof of which config it loaded.
  await Deno.writeTextFile(
    file,
    stringify({
      hostname: "custom-name",
      root: a.workspace,
      repositories: ["repo1"],
      aws: {
        region: "us-east-1",
        endpoint: "http://127.0.0.1:9",
        sns: { topic: { arn: "arn:aws:sns:us-east-1:000000000000:gitargus.fifo" } },
      },
    }),
  );
  const env = { ...a.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
  const install = await runCli(["--config", file, "hooks", "install"], { env });
  assert.equal(install.code, 0, install.stderr);
  const hook = await Deno.readTextFile(join(a.repoPath("repo1"), ".git", "hooks", "pre-push"));
  assert.ok(hook.includes(HOOK_MARKER));
  assert.ok(hook.includes(`'--config' '${file}'`) || hook.includes(`--config ${file}`), hook);

  await a.commitFile("repo1", "x.txt", "x\n", "x");
  const push = await new Deno.Command("git", {
    args: ["push", "--quiet"],
    cwd: a.repoPath("repo1"),
    env: { ...(await denoEnv()), ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(push.code, 0, new TextDecoder().decode(push.stderr));
  const outbox = join(a.home, ".gitargus", "outbox");
  const entry = await waitFor("the push in the outbox", async () => {
    try {
      for await (const item of Deno.readDir(outbox)) {
        if (item.isFile) return await Deno.readTextFile(join(outbox, item.name));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return undefined;
  }, 10_000);
  assert.match(entry, /"source":\s*"custom-name"/);
});
