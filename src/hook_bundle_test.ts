import assert from "node:assert/strict";
import { join } from "./util/path.ts";
import {
  BUNDLE_FILE,
  bundleProblem,
  headerLine,
  inputsDigest,
  parseHeader,
  prePushProgram,
} from "./hook_bundle.ts";
import { projectDir, selfCommand } from "./self.ts";
import { bundledInputs } from "../scripts/bundle.ts";

Deno.test("the committed hook bundle is built from the sources as they are", async () => {
  const problem = await bundleProblem(projectDir());
  assert.equal(problem, null, `${problem}: run \`deno task bundle\` and commit ${BUNDLE_FILE}`);
});

Deno.test("the committed hook bundle names every module it inlines, the hook's entry among them", async () => {
  const text = await Deno.readTextFile(join(projectDir(), BUNDLE_FILE));
  const header = parseHeader(text);
  assert.ok(header);
  assert.deepEqual(header.inputs, bundledInputs(text));
  assert.ok(header.inputs.includes("src/cli/hook_entry.ts"));
  // Nothing of the command parser, the config schema or the AWS SDK: those stay out of every push.
  assert.deepEqual(header.inputs.filter((input) => /cli\/mod|schema|aws\/|store\//.test(input)), []);
});

/** A project folder of one source file and a bundle built from it. */
async function project(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "gitargus-bundle-test-" });
  await Deno.mkdir(join(dir, "src"));
  await Deno.writeTextFile(join(dir, "src", "a.ts"), "export const a = 1;\n");
  const inputs = ["src/a.ts"];
  const header = headerLine({ inputs, digest: await inputsDigest(dir, inputs) });
  await Deno.writeTextFile(join(dir, BUNDLE_FILE), `${header}\nconst a = 1;\n`);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("a hook bundle older than its sources, damaged or missing is not run", async () => {
  await using p = await project();
  assert.equal(await bundleProblem(p.dir), null);
  await Deno.writeTextFile(join(p.dir, "src", "a.ts"), "export const a = 2;\n");
  assert.match(await bundleProblem(p.dir) ?? "", /older than its sources/);
  await Deno.remove(join(p.dir, "src", "a.ts"));
  assert.match(await bundleProblem(p.dir) ?? "", /older than its sources/);
  for (
    const first of [
      "",
      "// not a header",
      '// gitargus-bundle {"inputs":[]',
      '// gitargus-bundle {"inputs":[],"digest":"x"}',
    ]
  ) {
    await Deno.writeTextFile(join(p.dir, BUNDLE_FILE), `${first}\nconst a = 1;\n`);
    assert.match(await bundleProblem(p.dir) ?? "", /no valid header/, first);
  }
  // Inputs outside the project could make a digest match anything.
  for (const input of ["../elsewhere.ts", "/etc/passwd"]) {
    await Deno.writeTextFile(join(p.dir, BUNDLE_FILE), `${headerLine({ inputs: [input], digest: "x" })}\n`);
    assert.match(await bundleProblem(p.dir) ?? "", /no valid header/, input);
  }
  await Deno.remove(join(p.dir, BUNDLE_FILE));
  assert.match(await bundleProblem(p.dir) ?? "", /missing/);
});

Deno.test("from source the hook runs the bundle, compiled in full; everything else runs main.ts", async () => {
  const self = selfCommand();
  const hook = await prePushProgram();
  assert.equal(self.at(-1), join(projectDir(), "main.ts"));
  assert.equal(hook.at(-1), join(projectDir(), BUNDLE_FILE));
  assert.equal(hook.length, self.length);
  assert.ok(
    hook.some((flag) => flag.startsWith("--v8-flags=") && flag.endsWith(",--no-lazy")),
    hook.join(" "),
  );
  // The same permissions exactly.
  assert.deepEqual(
    hook.filter((flag) => flag.startsWith("--allow-")),
    self.filter((f) => f.startsWith("--allow-")),
  );
});
