/**
 * scripts/install.sh under `sh`, without network: a fake `curl` first on PATH serves release assets from a
 * temp folder and logs the URLs asked for, and a fake `uname` plays other machines.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/install.sh", import.meta.url));
const TRIPLES = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
];

const FAKE_CURL = `#!/bin/sh
out="" url=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    https://*) url="$1"; shift ;;
    *) shift ;;
  esac
done
echo "$url" >> "$FAKE_LOG"
[ -f "$FAKE_RELEASE/\${url##*/}" ] || { echo "curl: (22) 404 for $url" >&2; exit 22; }
cp "$FAKE_RELEASE/\${url##*/}" "$out"
`;

const FAKE_UNAME = `#!/bin/sh
case "$1" in -s) echo "$FAKE_OS" ;; -m) echo "$FAKE_ARCH" ;; *) echo "$FAKE_OS" ;; esac
`;

interface Sandbox extends AsyncDisposable {
  home: string;
  release: string;
  /** Runs install.sh; `uname` is faked when `machine` is given. */
  install(args?: string[], env?: Record<string, string>, machine?: [os: string, arch: string]): Promise<Run>;
  /** URLs the fake curl was asked for. */
  urls(): Promise<string[]>;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const binaryText = (triple: string) => `#!/bin/sh\necho "fake gitargus for ${triple}"\n`;

/** A release with a binary per target and their sums; `corrupt` makes the listed sum of that target wrong. */
async function sandbox(options: { corrupt?: string } = {}): Promise<Sandbox> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "gitargus-install-" }));
  const [home, release, fakes, uname] = [
    join(root, "home"),
    join(root, "release"),
    join(root, "fakes"),
    join(root, "uname"),
  ];
  for (const dir of [home, release, fakes, uname]) await Deno.mkdir(dir);
  const sums: string[] = [];
  for (const triple of TRIPLES) {
    await Deno.writeTextFile(join(release, `gitargus-${triple}`), binaryText(triple));
    const sum = triple === options.corrupt ? "0".repeat(64) : await sha256(binaryText(triple));
    sums.push(`${sum}  gitargus-${triple}`);
  }
  await Deno.writeTextFile(join(release, "SHA256SUMS"), sums.join("\n") + "\n");
  await Deno.writeTextFile(join(fakes, "curl"), FAKE_CURL, { mode: 0o755 });
  await Deno.writeTextFile(join(uname, "uname"), FAKE_UNAME, { mode: 0o755 });
  const log = join(root, "curl.log");
  return {
    home,
    release,
    async install(args = [], env = {}, machine) {
      const path = [...(machine ? [uname] : []), fakes, Deno.env.get("PATH") ?? ""].join(":");
      const output = await new Deno.Command("sh", {
        args: [SCRIPT, ...args],
        env: {
          HOME: home,
          PATH: path,
          FAKE_LOG: log,
          FAKE_RELEASE: release,
          ...(machine ? { FAKE_OS: machine[0], FAKE_ARCH: machine[1] } : {}),
          ...env,
        },
        clearEnv: true,
        stdin: "null",
      }).output();
      const decoder = new TextDecoder();
      return {
        code: output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    },
    urls: () => Deno.readTextFile(log).then((text) => text.trim().split("\n"), () => []),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

function assertExit(run: Run, code: number): void {
  assert.equal(run.code, code, `install.sh exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
}

function hostTriple(): string {
  const arch = Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";
  return Deno.build.os === "darwin" ? `${arch}-apple-darwin` : `${arch}-unknown-linux-gnu`;
}

Deno.test("install.sh is valid POSIX sh", async () => {
  const { code, stderr } = await new Deno.Command("sh", { args: ["-n", SCRIPT], stderr: "piped" }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});

Deno.test("install.sh puts this machine's binary in ~/.local/bin after checking its sum", async () => {
  await using box = await sandbox();
  const run = await box.install();
  assertExit(run, 0);
  const base = "https://github.com/gitargus/gitargus/releases/latest/download";
  assert.deepEqual(await box.urls(), [`${base}/gitargus-${hostTriple()}`, `${base}/SHA256SUMS`]);
  const installed = join(box.home, ".local", "bin", "gitargus");
  assert.equal(await Deno.readTextFile(installed), binaryText(hostTriple()));
  assert.equal((await Deno.stat(installed)).mode! & 0o111, 0o111);
  assert.match(run.stdout, /^Checksum verified: [0-9a-f]{64}$/m);
  assert.match(run.stdout, new RegExp(`^Installed ${installed}$`, "m"));
  assert.match(run.stdout, /is not on your PATH/);
  for (const step of ["gitargus init", "gitargus setup-aws", "gitargus install-service --enable"]) {
    assert.match(run.stdout, new RegExp(`^ {2}${step} `, "m"));
  }
});

Deno.test("install.sh maps uname to the release target and honours --prefix and the variables", async () => {
  const machines: [string, string, string][] = [
    ["Linux", "x86_64", "x86_64-unknown-linux-gnu"],
    ["Linux", "amd64", "x86_64-unknown-linux-gnu"],
    ["Linux", "aarch64", "aarch64-unknown-linux-gnu"],
    ["Darwin", "x86_64", "x86_64-apple-darwin"],
    ["Darwin", "arm64", "aarch64-apple-darwin"],
  ];
  for (const [os, arch, triple] of machines) {
    await using box = await sandbox();
    const prefix = join(box.home, "opt bin");
    const env = { GITARGUS_VERSION: "0.2.0", GITARGUS_REPO: "someone/fork" };
    const run = await box.install(["--prefix", prefix], env, [os, arch]);
    assertExit(run, 0);
    const base = "https://github.com/someone/fork/releases/download/v0.2.0";
    assert.deepEqual(await box.urls(), [`${base}/gitargus-${triple}`, `${base}/SHA256SUMS`], `${os} ${arch}`);
    assert.equal(await Deno.readTextFile(join(prefix, "gitargus")), binaryText(triple));
  }
});

Deno.test("install.sh refuses a binary whose sum does not match and installs nothing", async () => {
  await using box = await sandbox({ corrupt: hostTriple() });
  const run = await box.install();
  assertExit(run, 1);
  assert.match(
    run.stderr,
    new RegExp(`^gitargus install: checksum mismatch for gitargus-${hostTriple()}: `, "m"),
  );
  assert.equal(
    await Deno.lstat(join(box.home, ".local", "bin", "gitargus")).then(() => true, () => false),
    false,
  );
});

Deno.test("install.sh says plainly when there is no binary for this machine", async () => {
  await using box = await sandbox();
  const bsd = await box.install([], {}, ["FreeBSD", "amd64"]);
  assertExit(bsd, 1);
  assert.match(bsd.stderr, /^gitargus install: no gitargus binary for FreeBSD; build from source/m);
  const riscv = await box.install([], {}, ["Linux", "riscv64"]);
  assertExit(riscv, 1);
  assert.match(riscv.stderr, /^gitargus install: no gitargus binary for the riscv64 processor/m);
  assert.deepEqual(await box.urls(), []);
});

Deno.test("install.sh takes a tag with its v as given, and reports an asset it cannot download", async () => {
  await using box = await sandbox();
  assertExit(await box.install([], { GITARGUS_VERSION: "v9.9.9" }), 0);
  assert.equal(
    (await box.urls())[0],
    `https://github.com/gitargus/gitargus/releases/download/v9.9.9/gitargus-${hostTriple()}`,
  );
  await Deno.remove(join(box.release, `gitargus-${hostTriple()}`));
  const missing = await box.install(["--prefix", join(box.home, "bin")]);
  assertExit(missing, 1);
  assert.match(missing.stderr, /^gitargus install: cannot download https:\/\/github\.com\/.*\/gitargus-/m);
  assert.equal(await Deno.lstat(join(box.home, "bin", "gitargus")).then(() => true, () => false), false);
});
