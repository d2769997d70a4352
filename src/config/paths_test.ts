import assert from "node:assert/strict";
import { resolve } from "node:path";
import { ConfigError } from "../errors.ts";
import {
  configPathFrom,
  defaultConfigPath,
  expandHome,
  gitargusDir,
  logFilePath,
  outboxDir,
} from "./paths.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("paths under HOME name the gitargus folder, config, log and outbox", () => {
  assert.equal(gitargusDir("/home/u"), "/home/u/.gitargus");
  assert.equal(defaultConfigPath("/home/u"), "/home/u/.gitargus/config.yml");
  assert.equal(logFilePath("/home/u"), "/home/u/.gitargus/gitargus.log");
  assert.equal(outboxDir("/home/u"), "/home/u/.gitargus/outbox");
});

Deno.test("configPathFrom() prefers the explicit path, then GITARGUS_CONFIG, then HOME", () => {
  const env = envOf({ HOME: "/home/u", GITARGUS_CONFIG: "/etc/g.yml" });
  assert.equal(configPathFrom({ explicit: "/x/c.yml", env }), "/x/c.yml");
  assert.equal(configPathFrom({ env }), "/etc/g.yml");
  assert.equal(configPathFrom({ env: envOf({ HOME: "/home/u" }) }), "/home/u/.gitargus/config.yml");
});

Deno.test("configPathFrom() expands ~/ and makes relative paths absolute", () => {
  const env = envOf({ HOME: "/home/u" });
  assert.equal(configPathFrom({ explicit: "~/conf/g.yml", env }), "/home/u/conf/g.yml");
  assert.equal(configPathFrom({ explicit: "g.yml", env }), resolve("g.yml"));
});

Deno.test("configPathFrom() refuses to guess when HOME is unset and no path is given", () => {
  assert.throws(() => configPathFrom({ env: envOf({}) }), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.ok(error.message.includes("HOME is not set"));
    return true;
  });
});

Deno.test("configPathFrom() refuses a ~/ path when HOME is unset", () => {
  assert.throws(() => configPathFrom({ explicit: "~/g.yml", env: envOf({}) }), ConfigError);
});

Deno.test("expandHome() leaves other paths alone", () => {
  assert.equal(expandHome("/a/~/b", "/home/u"), "/a/~/b");
  assert.equal(expandHome("~user/x", "/home/u"), "~user/x");
  assert.equal(expandHome("~", "/home/u"), "/home/u");
  assert.equal(expandHome("~/x", undefined), undefined);
});
