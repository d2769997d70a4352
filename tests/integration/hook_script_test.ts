/** The rendered pre-push hook, run by a real POSIX shell with a fake gitargus and fake chained hooks. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CHAINED_SUFFIX, renderHook } from "../../src/git/hooks.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const ZERO = "0".repeat(40);
const INPUT = `refs/heads/main ${SHA} refs/heads/main ${ZERO}\nrefs/heads/dev ${SHA} refs/heads/dev ${SHA}\n`;
const ARGS = ["origin", "git@example.com:me/repo.git"];

/** Records its arguments (one per line) and its input, says something on stdout, exits with $FAKE_EXIT. */
const FAKE_COMMAND = `#!/bin/sh
printf '%s\\n' "$@" > "$RECORD_DIR/command.args"
cat > "$RECORD_DIR/command.stdin"
echo "fake gitargus output"
exit "\${FAKE_EXIT:-0}"
`;

interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
}

interface HookDir extends AsyncDisposable {
  root: string;
  hooks: string;
  hook: string;
  chained: string;
  records: string;
  /** Writes the hook for `command`, defaulting to the fake gitargus. */
  install(command?: readonly string[]): Promise<void>;
  /** Writes an executable file. */
  writeExecutable(path: string, content: string): Promise<void>;
  run(options?: { input?: string; args?: readonly string[]; env?: Record<string, string> }): Promise<HookRun>;
  record(name: string): Promise<string | null>;
  fake: string;
}

async function hookDir(options: { commandDir?: string } = {}): Promise<HookDir> {
  const root = await Deno.makeTempDir({ prefix: "gitargus-hook-" });
  const hooks = join(root, "hooks");
  const records = join(root, "records");
  const commandDir = join(root, options.commandDir ?? "bin");
  await Deno.mkdir(hooks);
  await Deno.mkdir(records);
  await Deno.mkdir(commandDir, { recursive: true });
  const writeExecutable = async (path: string, content: string) => {
    await Deno.writeTextFile(path, content);
    await Deno.chmod(path, 0o755);
  };
  const fake = join(commandDir, "gitargus");
  await writeExecutable(fake, FAKE_COMMAND);
  const hook = join(hooks, "pre-push");
  return {
    root,
    hooks,
    hook,
    chained: hook + CHAINED_SUFFIX,
    records,
    fake,
    writeExecutable,
    install: (command = [fake]) => writeExecutable(hook, renderHook({ prePush: command, publish: command })),
    async run({ input = INPUT, args = ARGS, env = {} } = {}) {
      const child = new Deno.Command("/bin/sh", {
        args: [hook, ...args],
        cwd: root,
        env: { RECORD_DIR: records, ...env },
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(input));
      await writer.close();
      const output = await child.output();
      const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
    },
    async record(name) {
      try {
        return await Deno.readTextFile(join(records, name));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

const lines = (values: readonly string[]) => values.map((v) => v + "\n").join("");

/** A chained hook in any language that records `$0`, its arguments and its input under `chained.*`. */
const SH_CHAINED = `#!/bin/sh
printf '%s\\n' "$0" > "$RECORD_DIR/chained.zero"
printf '%s\\n' "$@" > "$RECORD_DIR/chained.args"
cat > "$RECORD_DIR/chained.stdin"
exit 0
`;

Deno.test("the hook pipes its input and arguments to the command", async () => {
  await using dir = await hookDir();
  await dir.install();
  const result = await dir.run();
  assert.equal(result.code, 0);
  assert.equal(await dir.record("command.args"), lines(["hook", "pre-push", ...ARGS]));
  assert.equal(await dir.record("command.stdin"), INPUT);
});

Deno.test("the hook sends the command's output to stderr, leaving stdout alone", async () => {
  await using dir = await hookDir();
  await dir.install();
  const result = await dir.run();
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /fake gitargus output/);
});

Deno.test("the hook exits 0 when the command fails", async () => {
  await using dir = await hookDir();
  await dir.install();
  const result = await dir.run({ env: { FAKE_EXIT: "1" } });
  assert.equal(result.code, 0);
  assert.equal(await dir.record("command.stdin"), INPUT);
});

Deno.test("the hook exits 0 when the command does not exist", async () => {
  await using dir = await hookDir();
  await dir.install([join(dir.root, "missing", "gitargus")]);
  assert.equal((await dir.run()).code, 0);
});

Deno.test("the hook gives the command empty input when git sends nothing", async () => {
  await using dir = await hookDir();
  await dir.install();
  assert.equal((await dir.run({ input: "" })).code, 0);
  assert.equal(await dir.record("command.stdin"), "");
});

Deno.test("the hook runs as an executable file, as git starts it", async () => {
  await using dir = await hookDir();
  await dir.install();
  const output = await new Deno.Command(dir.hook, {
    args: ARGS,
    env: { RECORD_DIR: dir.records },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(output.code, 0);
  assert.equal(await dir.record("command.args"), lines(["hook", "pre-push", ...ARGS]));
});

Deno.test("a failing chained sh hook fails the push and the command does not run", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, "#!/bin/sh\nexit 1\n");
  const result = await dir.run();
  assert.equal(result.code, 1);
  assert.equal(await dir.record("command.args"), null);
});

Deno.test("a failing chained hook passes its exit status on", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, "#!/bin/bash\nexit 3\n");
  const result = await dir.run();
  assert.equal(result.code, 3);
  assert.equal(await dir.record("command.args"), null);
});

Deno.test("a succeeding chained hook lets the command run", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, SH_CHAINED);
  const result = await dir.run();
  assert.equal(result.code, 0);
  assert.equal(await dir.record("command.stdin"), INPUT);
  assert.equal(await dir.record("command.args"), lines(["hook", "pre-push", ...ARGS]));
});

Deno.test("a chained hook that is not executable is skipped, as git would skip it", async () => {
  await using dir = await hookDir();
  await dir.install();
  await Deno.writeTextFile(dir.chained, "#!/bin/sh\nexit 1\n");
  await Deno.chmod(dir.chained, 0o644);
  assert.equal((await dir.run()).code, 0);
  assert.equal(await dir.record("command.stdin"), INPUT);
});

Deno.test("a chained sh hook sees $0 as the main hook's path", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, SH_CHAINED);
  await dir.run();
  assert.equal(await dir.record("chained.zero"), dir.hook + "\n");
});

Deno.test("a chained sh hook gets the same input and arguments as the main hook", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, SH_CHAINED);
  await dir.run();
  assert.equal(await dir.record("chained.args"), lines(ARGS));
  assert.equal(await dir.record("chained.stdin"), INPUT);
});

Deno.test("a chained `#!/usr/bin/env sh` hook is treated as an sh hook", async () => {
  await using dir = await hookDir();
  await dir.install();
  await dir.writeExecutable(dir.chained, SH_CHAINED.replace("#!/bin/sh", "#!/usr/bin/env sh"));
  await dir.run();
  assert.equal(await dir.record("chained.zero"), dir.hook + "\n");
  assert.equal(await dir.record("chained.stdin"), INPUT);
});

Deno.test("a chained bash hook is executed, not sourced, with the same input and arguments", async () => {
  await using dir = await hookDir();
  await dir.install();
  // `[[ ]]` and arrays fail under dash: the hook only succeeds when bash runs it.
  await dir.writeExecutable(
    dir.chained,
    `#!/bin/bash
[[ -n "$BASH_VERSION" ]] || exit 9
args=("$@")
printf '%s\\n' "$0" > "$RECORD_DIR/chained.zero"
printf '%s\\n' "\${args[@]}" > "$RECORD_DIR/chained.args"
cat > "$RECORD_DIR/chained.stdin"
`,
  );
  const result = await dir.run();
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await dir.record("chained.zero"), dir.chained + "\n");
  assert.equal(await dir.record("chained.args"), lines(ARGS));
  assert.equal(await dir.record("chained.stdin"), INPUT);
  assert.equal(await dir.record("command.stdin"), INPUT);
});

/** True when an executable named `name` is in a folder of PATH (without starting it: pyenv shims are slow). */
function onPath(name: string): boolean {
  for (const folder of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const info = Deno.statSync(join(folder || ".", name));
      if (info.isFile && (info.mode ?? 0) & 0o111) return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

Deno.test({
  name: "a chained python hook is executed with the same input and arguments",
  ignore: !onPath("python3"),
  fn: async () => {
    await using dir = await hookDir();
    await dir.install();
    await dir.writeExecutable(
      dir.chained,
      `#!/usr/bin/env python3
import os, sys
records = os.environ["RECORD_DIR"]
with open(os.path.join(records, "chained.args"), "w") as f:
    f.write("".join(arg + "\\n" for arg in sys.argv[1:]))
with open(os.path.join(records, "chained.stdin"), "w") as f:
    f.write(sys.stdin.read())
sys.exit(0)
`,
    );
    const result = await dir.run();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await dir.record("chained.args"), lines(ARGS));
    assert.equal(await dir.record("chained.stdin"), INPUT);
    assert.equal(await dir.record("command.stdin"), INPUT);
  },
});

Deno.test("the hook quotes a command path with spaces and a single quote", async () => {
  await using dir = await hookDir({ commandDir: "it's a dir/with spaces" });
  await dir.install();
  assert.match(await Deno.readTextFile(dir.hook), /'[^\n]*it'"'"'s a dir\/with spaces\/gitargus'/);
  const result = await dir.run();
  assert.equal(result.code, 0);
  assert.equal(await dir.record("command.args"), lines(["hook", "pre-push", ...ARGS]));
  assert.equal(await dir.record("command.stdin"), INPUT);
});

Deno.test("the hook passes command arguments literally, without expansion", async () => {
  await using dir = await hookDir();
  const words = ["--config=it's here", "$HOME", "`id`", "a;b", "*", "with\nnewline"];
  await dir.install([dir.fake, ...words]);
  assert.equal((await dir.run()).code, 0);
  assert.equal(await dir.record("command.args"), lines([...words, "hook", "pre-push", ...ARGS]));
});

Deno.test({
  name: "a chained `#!/bin/sh -e` hook still stops at its first failing command",
  fn: async () => {
    await using dir = await hookDir();
    await dir.install();
    await dir.writeExecutable(dir.chained, "#!/bin/sh -e\nfalse\nexit 0\n");
    const result = await dir.run();
    assert.equal(result.code, 1);
    assert.equal(await dir.record("command.args"), null);
  },
});

/** `hook pre-push` records the pusher it was given and exits 3; `hook publish` takes a while, then records. */
const HANDING_COMMAND = `#!/bin/sh
if [ "$2" = "pre-push" ]; then
  cat > /dev/null
  printf '%s\\n' "$GITARGUS_PUSHER" > "$RECORD_DIR/pusher"
  exit 3
fi
printf '%s\\n' "$@" > "$RECORD_DIR/publish.args"
sleep 2
echo done > "$RECORD_DIR/published"
`;

Deno.test("the hook hands the pushing git's pid over and starts the publisher without waiting for it", async () => {
  await using dir = await hookDir();
  await dir.writeExecutable(dir.fake, HANDING_COMMAND);
  await dir.install();
  const started = performance.now();
  // run() reads the hook's stdout and stderr to their end: a publisher holding either would hold it too.
  const result = await dir.run();
  const ms = performance.now() - started;
  assert.equal(result.code, 0);
  assert.ok(ms < 1500, `the hook took ${Math.round(ms)} ms: it waited for the publisher`);
  assert.match((await dir.record("pusher")) ?? "", /^[1-9]\d*\n$/);
  for (let round = 0; round < 100 && (await dir.record("published")) === null; round++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(await dir.record("publish.args"), lines(["hook", "publish"]));
  assert.equal(await dir.record("published"), "done\n");
});

Deno.test("the hook starts no publisher when its command exits 0 or fails otherwise", async () => {
  for (const exit of ["0", "1"]) {
    await using dir = await hookDir();
    await dir.install();
    assert.equal((await dir.run({ env: { FAKE_EXIT: exit } })).code, 0);
    assert.equal(await dir.record("command.args"), lines(["hook", "pre-push", ...ARGS]));
  }
});
