import assert from "node:assert/strict";
import { join } from "node:path";
import { installLauncher, LAUNCHER_MARK, launcherScript, onPath } from "./install_launcher.ts";

Deno.test("launcherScript() execs the command with every argument quoted and passes its own on", () => {
  const script = launcherScript(["/opt/deno", "run", "/home/a b/main.ts"]);
  const lines = script.split("\n");
  assert.equal(lines[0], "#!/bin/sh");
  assert.ok(lines.includes(LAUNCHER_MARK));
  assert.ok(lines.includes(`exec /opt/deno run '/home/a b/main.ts' "$@"`), script);
  assert.doesNotMatch(script, /^cd /m, "the launcher stays in the caller's folder");
});

Deno.test("onPath() finds a folder among PATH's entries, however it is spelled", () => {
  assert.equal(onPath("/home/me/.local/bin", "/usr/bin:/home/me/.local/bin/"), true);
  assert.equal(onPath("/home/me/.local/bin", "/usr/bin:/bin"), false);
  assert.equal(onPath("/home/me/.local/bin", undefined), false);
});

Deno.test("installLauncher() replaces its own launcher but refuses to overwrite another program", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-launcher-" });
  try {
    const file = await installLauncher({ dir: "bin", cwd: dir, command: ["/opt/deno", "run", "main.ts"] });
    assert.equal(file, join(dir, "bin", "gitargus"));
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o755);
    await installLauncher({ dir: "bin", cwd: dir, command: ["/opt/deno2", "run", "main.ts"] });
    assert.match(await Deno.readTextFile(file), /^exec \/opt\/deno2 /m);

    await Deno.writeTextFile(file, "\x7fELF a compiled binary");
    await assert.rejects(
      () => installLauncher({ dir: "bin", cwd: dir, command: ["/opt/deno"] }),
      /^Error: Cannot write ".*gitargus": another program is there; remove it or choose --dir$/,
    );
    assert.equal(await Deno.readTextFile(file), "\x7fELF a compiled binary");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
