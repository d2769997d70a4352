import assert from "node:assert/strict";
import { LAUNCH_AGENT_LABEL, renderLaunchAgent, xmlEscape } from "./launchd.ts";

const options = {
  command: ["/Users/me/bin/gitargus", "run"],
  logFile: "/Users/me/.gitargus/launchd.log",
};

/** The text after `<key>name</key>`, up to the next key. */
function valueOf(plist: string, name: string): string {
  const after = plist.split(`<key>${name}</key>`)[1];
  assert.ok(after !== undefined, `no key ${name}`);
  return after.split("<key>")[0]!.replace("</dict>\n</plist>\n", "").trim();
}

Deno.test("xmlEscape() escapes the five XML special characters", () => {
  assert.equal(xmlEscape(`a&b<c>d"e'f`), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  assert.equal(xmlEscape("/Users/a b/100%/$x"), "/Users/a b/100%/$x");
});

Deno.test("xmlEscape() refuses control characters that XML cannot hold", () => {
  assert.throws(() => xmlEscape("a\x01b"), /control characters/);
  assert.equal(xmlEscape("a\tb"), "a\tb");
});

Deno.test("renderLaunchAgent() starts at load, restarts and logs to the given file", () => {
  const plist = renderLaunchAgent(options);
  assert.ok(plist.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist'));
  assert.equal(valueOf(plist, "Label"), `<string>${LAUNCH_AGENT_LABEL}</string>`);
  assert.equal(valueOf(plist, "RunAtLoad"), "<true/>");
  assert.equal(valueOf(plist, "KeepAlive"), "<true/>");
  assert.equal(valueOf(plist, "StandardOutPath"), "<string>/Users/me/.gitargus/launchd.log</string>");
  assert.equal(valueOf(plist, "StandardErrorPath"), "<string>/Users/me/.gitargus/launchd.log</string>");
  assert.equal(
    valueOf(plist, "ProgramArguments").replace(/\s+/g, ""),
    "<array><string>/Users/me/bin/gitargus</string><string>run</string></array>",
  );
  assert.ok(!plist.includes("EnvironmentVariables"));
  assert.ok(!plist.includes("AWS_"));
});

Deno.test("renderLaunchAgent() keeps each argument whole and escaped, spaces and all", () => {
  const plist = renderLaunchAgent({
    ...options,
    command: ["/Users/a b/deno", "--allow-net=a&b", `it's "x" <y>`, "run"],
  });
  assert.ok(plist.includes("<string>/Users/a b/deno</string>"));
  assert.ok(plist.includes("<string>--allow-net=a&amp;b</string>"));
  assert.ok(plist.includes("<string>it&apos;s &quot;x&quot; &lt;y&gt;</string>"));
});

Deno.test("renderLaunchAgent() sets GITARGUS_CONFIG only when a config path is given", () => {
  const plist = renderLaunchAgent({ ...options, configFile: "/Users/me/g & h.yml" });
  assert.ok(
    plist.replace(/\s+/g, "").includes(
      "<key>EnvironmentVariables</key><dict><key>GITARGUS_CONFIG</key><string>/Users/me/g&amp;h.yml</string></dict>",
    ),
  );
});

Deno.test("renderLaunchAgent() is a well-formed property list", async () => {
  const plist = renderLaunchAgent({ ...options, configFile: "/g.yml" });
  // Every opened element is closed, in order; comments hold no "--".
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of plist.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name);
    else stack.push(name!);
  }
  assert.deepEqual(stack, []);
  for (const [comment] of plist.matchAll(/<!--([\s\S]*?)-->/g)) {
    assert.ok(!comment.slice(4, -3).includes("--"));
  }
  // On macOS, Apple's own parser has the last word.
  const file = await Deno.makeTempFile({ suffix: ".plist" });
  try {
    await Deno.writeTextFile(file, plist);
    const lint = await lintPlist(file);
    if (lint === undefined) console.log("plutil not found (not macOS): checked the element nesting only");
    else {assert.equal(
        lint.code,
        0,
        new TextDecoder().decode(lint.stdout) + new TextDecoder().decode(lint.stderr),
      );}
  } finally {
    await Deno.remove(file);
  }
});

async function lintPlist(file: string): Promise<Deno.CommandOutput | undefined> {
  try {
    return await new Deno.Command("plutil", { args: ["-lint", file], stdout: "piped", stderr: "piped" })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
