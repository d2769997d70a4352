import assert from "node:assert/strict";
import { withoutCredentials } from "./remote_url.ts";

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
