import assert from "node:assert/strict";
import { renderSystemTemplate, renderUserUnit, systemdEnvironment, systemdQuote } from "./systemd.ts";

const options = {
  command: ["/opt/gitargus/bin/gitargus", "run"],
  documentation: "https://example.test/gitargus",
};

function lines(text: string): string[] {
  return text.split("\n");
}

Deno.test("systemdQuote() leaves plain words alone", () => {
  assert.equal(systemdQuote("/usr/local/bin/gitargus"), "/usr/local/bin/gitargus");
  assert.equal(systemdQuote("--allow-env=AWS_*,HOME"), "--allow-env=AWS_*,HOME");
  assert.equal(systemdQuote("--config=/a/b.json"), "--config=/a/b.json");
});

Deno.test("systemdQuote() double-quotes a path with spaces", () => {
  assert.equal(systemdQuote("/home/a b/main.ts"), '"/home/a b/main.ts"');
});

Deno.test("systemdQuote() doubles % so no specifier is expanded", () => {
  assert.equal(systemdQuote("/data/100%/x"), "/data/100%%/x");
  assert.equal(systemdQuote("/data/100% done"), '"/data/100%% done"');
});

Deno.test("systemdQuote() doubles $ so no variable is expanded", () => {
  assert.equal(systemdQuote("/srv/$HOME/x"), "/srv/$$HOME/x");
  assert.equal(systemdQuote("a $b"), '"a $$b"');
});

Deno.test("systemdQuote() escapes quotes and backslashes inside double quotes", () => {
  assert.equal(systemdQuote(`say "hi"`), String.raw`"say \"hi\""`);
  assert.equal(systemdQuote(String.raw`C:\x`), String.raw`"C:\\x"`);
  assert.equal(systemdQuote("it's"), `"it's"`);
  assert.equal(systemdQuote("a;b"), `"a;b"`);
});

Deno.test("systemdQuote() writes control characters and the empty word as C escapes", () => {
  assert.equal(systemdQuote("a\nb\tc\x01"), String.raw`"a\nb\tc\x01"`);
  assert.equal(systemdQuote(""), '""');
});

Deno.test("systemdEnvironment() doubles % but keeps $, and quotes the whole assignment", () => {
  assert.equal(systemdEnvironment("GITARGUS_CONFIG", "/etc/g.yml"), "GITARGUS_CONFIG=/etc/g.yml");
  assert.equal(
    systemdEnvironment("GITARGUS_CONFIG", `/home/a b/50%/$x/"q".yml`),
    String.raw`"GITARGUS_CONFIG=/home/a b/50%%/$x/\"q\".yml"`,
  );
});

Deno.test("renderUserUnit() has the service, restart and install lines", () => {
  const unit = lines(renderUserUnit(options));
  for (
    const expected of [
      "[Unit]",
      "Documentation=https://example.test/gitargus",
      "[Service]",
      "ExecStart=/opt/gitargus/bin/gitargus run",
      "Restart=always",
      "RestartSec=5",
      "KillSignal=SIGTERM",
      "TimeoutStopSec=30",
      "[Install]",
      "WantedBy=default.target",
    ]
  ) assert.ok(unit.includes(expected), `missing line ${expected}`);
  assert.ok(unit.some((line) => line.startsWith("Description=")));
  assert.ok(!unit.some((line) => /^(User|Environment|After|Wants)=/.test(line)));
});

Deno.test("renderUserUnit() quotes every word of ExecStart", () => {
  const unit = renderUserUnit({
    ...options,
    command: ["/home/a b/deno", "run", "/home/a b/100%/main.ts", "run"],
  });
  assert.ok(lines(unit).includes(`ExecStart="/home/a b/deno" run "/home/a b/100%%/main.ts" run`));
});

Deno.test("renderUserUnit() sets GITARGUS_CONFIG only when a config path is given", () => {
  const unit = lines(renderUserUnit({ ...options, configFile: "/home/a b/g.yml" }));
  assert.ok(unit.includes(`Environment="GITARGUS_CONFIG=/home/a b/g.yml"`));
});

Deno.test("renderUserUnit() holds no AWS setting", () => {
  assert.doesNotMatch(renderUserUnit({ ...options, configFile: "/g.yml" }), /^[^#]*AWS_/m);
});

Deno.test("renderSystemTemplate() runs as the instance's user after the network is up", () => {
  const unit = lines(renderSystemTemplate(options));
  for (
    const expected of [
      "User=%i",
      "Wants=network-online.target",
      "After=network-online.target",
      "ExecStart=/opt/gitargus/bin/gitargus run",
      "Restart=always",
      "RestartSec=5",
      "WantedBy=multi-user.target",
    ]
  ) assert.ok(unit.includes(expected), `missing line ${expected}`);
  assert.ok(unit.some((line) => /^Description=.*%i/.test(line)));
  // systemd sets HOME from the user database for User=; a fixed /home/%i would be wrong for other homes.
  assert.ok(!unit.some((line) => line.includes("HOME=")));
});

Deno.test("renderSystemTemplate() puts each key in its section", () => {
  const text = renderSystemTemplate({ ...options, configFile: "/srv/g.yml" });
  const section = (name: string) => text.split(`[${name}]\n`)[1]!.split("\n[")[0]!;
  assert.match(section("Unit"), /^After=network-online.target$/m);
  assert.match(section("Service"), /^User=%i$/m);
  assert.match(section("Service"), /^Environment=GITARGUS_CONFIG=\/srv\/g.yml$/m);
  assert.match(section("Install"), /^WantedBy=multi-user.target$/m);
});

Deno.test("renderUserUnit() does not restart after a config error and gives up after a burst of failed starts", () => {
  const text = renderUserUnit(options);
  const section = (name: string) => text.split(`[${name}]\n`)[1]!.split("\n[")[0]!;
  assert.match(section("Service"), /^RestartPreventExitStatus=2$/m);
  // systemd reads the start limit only in [Unit]; in [Service] it is ignored with a warning.
  assert.match(section("Unit"), /^StartLimitIntervalSec=300$/m);
  assert.match(section("Unit"), /^StartLimitBurst=5$/m);
  assert.doesNotMatch(section("Service"), /StartLimit/);
});

Deno.test("renderSystemTemplate() has the same restart limits as the user unit", () => {
  const unit = lines(renderSystemTemplate(options));
  for (const expected of ["RestartPreventExitStatus=2", "StartLimitIntervalSec=300", "StartLimitBurst=5"]) {
    assert.ok(unit.includes(expected), `missing line ${expected}`);
  }
});
