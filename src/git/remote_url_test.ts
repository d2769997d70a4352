import assert from "node:assert/strict";
import { plainRemoteUrls, withoutCredentials } from "./remote_url.ts";

Deno.test("withoutCredentials() keeps no secret of any URL form git takes", () => {
  const cases: Array<[string, string]> = [
    ["https://user:token@github.com/me/api.git", "https://github.com/me/api.git"],
    ["https://ghp_abc123@github.com/me/api.git", "https://github.com/me/api.git"],
    ["https://github.com/me/api.git?private_token=x#frag", "https://github.com/me/api.git"],
    ["http://u:p@host:8080/x", "http://host:8080/x"],
    ["ssh://git:secret@host:2222/srv/x.git", "ssh://git@host:2222/srv/x.git"],
    ["ssh://git@host/srv/x.git", "ssh://git@host/srv/x.git"],
    ["git@github.com:me/api.git", "git@github.com:me/api.git"],
    ["git:secret@github.com:me/api.git", "git@github.com:me/api.git"],
    ["file:///srv/git/api.git", "file:///srv/git/api.git"],
    ["/srv/git/api.git", "/srv/git/api.git"],
    ["../sibling.git", "../sibling.git"],
    ["https://github.com", "https://github.com"],
  ];
  for (const [given, expected] of cases) assert.equal(withoutCredentials(given), expected, given);
});

Deno.test("plainRemoteUrls() reads a plain config file and leaves anything unusual to git", () => {
  const plain = [
    "[core]",
    "\trepositoryformatversion = 0",
    '[remote "origin"]',
    "\turl = git@github.com:me/api.git",
    "\tfetch = +refs/heads/*:refs/remotes/origin/*",
    '[remote "up/stream"]',
    "\turl=https://example.com/x.git ; a comment",
    "\turl = https://second.example.com/x.git",
    '[branch "main"]',
    "\tremote = origin",
  ].join("\n");
  assert.deepEqual(
    [...plainRemoteUrls(plain)!],
    [["origin", "git@github.com:me/api.git"], ["up/stream", "https://example.com/x.git"]],
  );
  assert.equal(plainRemoteUrls('[include]\n\tpath = other\n[remote "origin"]\n\turl = x:y'), null);
  assert.equal(plainRemoteUrls('[remote "origin"]\n\turl = "quoted value"'), null);
  assert.equal(plainRemoteUrls('[remote "origin"]\n\turl = a\\\n\tb'), null);
  assert.deepEqual([...plainRemoteUrls("")!], []);
});
