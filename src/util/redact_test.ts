import assert from "node:assert/strict";
import { redactCredentials } from "./redact.ts";

Deno.test("redactCredentials() hides the password of an https URL and keeps the user", () => {
  assert.equal(
    redactCredentials("https://alice:s3cret@github.com/org/repo.git"),
    "https://alice:***@github.com/org/repo.git",
  );
});

Deno.test("redactCredentials() hides a token given as the user of an http(s) URL", () => {
  assert.equal(redactCredentials("https://ghp_abc123@github.com/o/r"), "https://***@github.com/o/r");
  assert.equal(redactCredentials("http://tok3n@10.0.0.1:8080/r.git"), "http://***@10.0.0.1:8080/r.git");
});

Deno.test("redactCredentials() keeps the user of an ssh URL and scp-like addresses, which hold no secret", () => {
  assert.equal(redactCredentials("ssh://git@github.com/o/r.git"), "ssh://git@github.com/o/r.git");
  assert.equal(redactCredentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
  assert.equal(redactCredentials("ssh://git:pw@host/r"), "ssh://git:***@host/r");
});

Deno.test("redactCredentials() finds URLs inside git's messages, quoted or not, several per text", () => {
  assert.equal(
    redactCredentials("fatal: unable to access 'https://u:p@h/r.git/': Could not resolve host: h"),
    "fatal: unable to access 'https://u:***@h/r.git/': Could not resolve host: h",
  );
  assert.equal(
    redactCredentials("from https://a:b@x/1 and http://c:d@y/2"),
    "from https://a:***@x/1 and http://c:***@y/2",
  );
  assert.equal(redactCredentials('url="https://tok@x/r"'), 'url="https://***@x/r"');
});

Deno.test("redactCredentials() hides user:secret@host without a scheme, as git prints it for git://", () => {
  assert.equal(
    redactCredentials("fatal: unable to look up user:s3cret@127.0.0.1:1 (port 9418)"),
    "fatal: unable to look up user:***@127.0.0.1:1 (port 9418)",
  );
});

Deno.test("redactCredentials() matches schemes in any case and passwords with odd characters", () => {
  assert.equal(redactCredentials("HTTPS://u:p%40ss!word@h/r"), "HTTPS://u:***@h/r");
  assert.equal(redactCredentials("https://u:a:b@h/r"), "https://u:***@h/r");
});

Deno.test("redactCredentials() leaves text without credentials as it is", () => {
  for (
    const text of [
      "https://github.com/o/r.git",
      "someone@example.com wrote",
      "local changes would be overwritten: README.md",
      "refs/heads/main@{1}",
      "",
    ]
  ) {
    assert.equal(redactCredentials(text), text);
  }
});
