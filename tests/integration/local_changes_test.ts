/** A fast-forward refuses when any incoming path has a local change of any kind, and then changes nothing. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readBytes, REPO, type SyncFixture, syncFixture } from "../helpers/sync_fixture.ts";

/** a pushes `file`; b prepares its local change; the move must be refused naming `named` and change nothing. */
async function assertRefused(
  prepare: (fx: SyncFixture) => Promise<void>,
  options: { file?: string; named: RegExp; keep?: string[] },
): Promise<void> {
  await using fx = await syncFixture();
  await fx.a.commitFile(REPO, options.file ?? "README.md", "from a\n", "a's change");
  await fx.a.push(REPO);
  await fx.b.git(REPO, "fetch", "--quiet");
  await prepare(fx);
  const unchanged = await fx.untouched(...(options.keep ?? [options.file ?? "README.md"]));
  const result = await fx.fastForward();
  assert.equal(result.result, "blocked", result.reason);
  assert.match(result.reason ?? "", /^local changes would be overwritten: /);
  assert.match(result.reason ?? "", options.named);
  await unchanged();
}

const write = (fx: SyncFixture, file: string, text: string) => Deno.writeTextFile(join(fx.path, file), text);

Deno.test("a staged change on an incoming path blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    await write(fx, "README.md", "staged\n");
    await fx.b.git(REPO, "add", "README.md");
  }, { named: /README\.md \(staged\)/ });
});

Deno.test("an unstaged change on an incoming path blocks the fast-forward", async () => {
  await assertRefused((fx) => write(fx, "README.md", "unsaved\n"), { named: /README\.md \(modified\)/ });
});

Deno.test("a file deleted in the worktree blocks the fast-forward that would recreate it", async () => {
  await assertRefused((fx) => Deno.remove(join(fx.path, "README.md")), { named: /README\.md \(deleted\)/ });
});

Deno.test("a mode change on an incoming path blocks the fast-forward", async () => {
  await assertRefused((fx) => Deno.chmod(join(fx.path, "README.md"), 0o755), {
    named: /README\.md \(mode changed\)/,
  });
});

Deno.test("a file replaced by a symlink blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    await Deno.remove(join(fx.path, "README.md"));
    await Deno.symlink("elsewhere", join(fx.path, "README.md"));
  }, { named: /README\.md \(type changed\)/ });
});

Deno.test("a file replaced by a directory blocks the fast-forward and the directory stays", async () => {
  await assertRefused(async (fx) => {
    await Deno.remove(join(fx.path, "README.md"));
    await Deno.mkdir(join(fx.path, "README.md"));
    await write(fx, "README.md/notes.txt", "mine\n");
  }, { named: /README\.md/, keep: ["README.md", "README.md/notes.txt"] });
});

Deno.test("an untracked file where the update adds one blocks the fast-forward", async () => {
  await assertRefused((fx) => write(fx, "new.txt", "mine\n"), {
    file: "new.txt",
    named: /new\.txt \(untracked\)/,
  });
});

Deno.test("an untracked directory where the update adds a file blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    await Deno.mkdir(join(fx.path, "tool"));
    await write(fx, "tool/config", "mine\n");
  }, { file: "tool", named: /tool\/config \(untracked\)/, keep: ["tool/config"] });
});

Deno.test("an untracked file where the update needs a directory blocks the fast-forward", async () => {
  await assertRefused((fx) => write(fx, "docs", "mine\n"), {
    file: "docs/guide.md",
    named: /docs \(untracked\)/,
    keep: ["docs"],
  });
});

Deno.test("an ignored file where the update adds one blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    await Deno.writeTextFile(join(fx.location.gitDir, "info", "exclude"), "secret.env\n");
    await write(fx, "secret.env", "token\n");
  }, { file: "secret.env", named: /secret\.env \(ignored\)/ });
});

Deno.test("a conflicted index entry on an incoming path blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    const blob = await fx.b.git(REPO, "hash-object", "-w", "README.md");
    await fx.b.git(REPO, "update-index", "--force-remove", "README.md");
    const stdin = [1, 2, 3].map((stage) => `100644 ${blob} ${stage}\tREADME.md\n`).join("");
    const child = new Deno.Command("git", {
      args: ["update-index", "--index-info"],
      cwd: fx.path,
      env: fx.b.env,
      clearEnv: true,
      stdin: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
    assert.equal((await child.status).code, 0);
  }, { named: /README\.md \(conflicted\)/ });
});

Deno.test("a skip-worktree entry on an incoming path blocks the fast-forward", async () => {
  await assertRefused((fx) => fx.b.git(REPO, "update-index", "--skip-worktree", "README.md").then(() => {}), {
    named: /README\.md \(skip-worktree\)/,
  });
});

Deno.test("an assume-unchanged entry on an incoming path blocks the fast-forward", async () => {
  await assertRefused(async (fx) => {
    await fx.b.git(REPO, "update-index", "--assume-unchanged", "README.md");
    await write(fx, "README.md", "hidden edit\n");
  }, { named: /README\.md \(assume-unchanged\)/ });
});

/** Names that are not UTF-8 can only be spelled by a shell: `name` is a printf format ("caf\\351"). */
async function shell(cwd: string, env: Record<string, string>, script: string): Promise<void> {
  const { code, stderr } = await new Deno.Command("sh", { args: ["-c", script], cwd, env, clearEnv: true })
    .output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}

Deno.test("paths are compared as bytes: only the exact name of an incoming file blocks it", async () => {
  await using fx = await syncFixture();
  await shell(
    fx.a.repoPath(REPO),
    fx.a.env,
    `printf theirs > "$(printf 'caf\\351')" && git add -A && git commit -qm latin1 && git push -q`,
  );
  await fx.b.git(REPO, "fetch", "--quiet");
  // Another name that decodes to the same replacement characters: not in the way.
  await shell(fx.path, fx.b.env, `printf mine > "$(printf 'caf\\350')"`);
  const moved = await fx.fastForward();
  assert.equal(moved.result, "fast-forwarded", moved.reason);
  assert.equal(await fx.b.head(REPO), await fx.ws.originHead(REPO));

  await shell(
    fx.a.repoPath(REPO),
    fx.a.env,
    `printf again > "$(printf 'caf\\351')" && printf new > "$(printf 'x\\377')" && git add -A && ` +
      `git commit -qm more && git push -q`,
  );
  await fx.b.git(REPO, "fetch", "--quiet");
  await shell(fx.path, fx.b.env, `printf mine > "$(printf 'x\\377')"`);
  const before = await fx.b.head(REPO);
  const refused = await fx.fastForward();
  assert.equal(refused.result, "blocked");
  assert.match(refused.reason ?? "", /x\uFFFD \(untracked\)/);
  assert.equal(await fx.b.head(REPO), before);
  assert.equal(await readBytes(join(fx.path, "README.md")), "# repo1\n");
});
