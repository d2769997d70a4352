import assert from "node:assert/strict";
import { cloneUrlProblem } from "./url.ts";

Deno.test("cloneUrlProblem() takes https, ssh, scp-like and file URLs", () => {
  for (
    const url of [
      "https://github.com/me/api.git",
      "ssh://git@host:2222/srv/api.git",
      "git+ssh://host/srv/api.git",
      "git@github.com:me/api.git",
      "host:srv/api.git",
      "file:///srv/git/api.git",
      "/srv/git/api.git",
    ]
  ) assert.equal(cloneUrlProblem(url), null, url);
});

Deno.test("cloneUrlProblem() refuses credentials, programs, plain transports and odd input, saying why", () => {
  const cases: Array<[string, RegExp]> = [
    ["https://user:token@github.com/me/api.git", /credentials/],
    ["https://token@github.com/me/api.git", /credentials/],
    ["ssh://git:pw@host/x.git", /password/],
    ["git:pw@host:x.git", /password/],
    ["http://github.com/me/api.git", /http:\/\/ is not one of/],
    ["git://github.com/me/api.git", /git:\/\/ is not one of/],
    ["ext::sh -c touch% /tmp/pwned", /spaces|remote helper/],
    ["ext::whoami", /remote helper/],
    ["fd::3", /remote helper/],
    ["-uhelp", /dash/],
    ["--upload-pack=touch /tmp/x", /spaces|dash/],
    ["../api.git", /relative path/],
    ["api", /relative path/],
    ["host:", /no path/],
    ["", /empty/],
    ["https://github.com/a\nb", /control/],
  ];
  for (const [url, why] of cases) assert.match(cloneUrlProblem(url) ?? "accepted", why, JSON.stringify(url));
});
