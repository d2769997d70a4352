import assert from "node:assert/strict";
import { sha256Hex, sha256HexSync } from "./hash.ts";

Deno.test("sha256HexSync gives FIPS 180-4's digests of its examples", () => {
  assert.equal(sha256HexSync(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(sha256HexSync("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256HexSync agrees with Web Crypto at every padding boundary and on any text", async () => {
  const texts: string[] = [];
  // 55, 56 and 64 bytes are where the length field moves to a block of its own.
  for (let n = 0; n <= 200; n++) texts.push("x".repeat(n));
  texts.push("refs/heads/ünïcødé\0", "🚀".repeat(40), "a\nb\r\n".repeat(500));
  for (let i = 0; i < 50; i++) {
    texts.push(
      String.fromCharCode(...crypto.getRandomValues(new Uint16Array(1 + i * 7))).replace(
        /[\ud800-\udfff]/g,
        "?",
      ),
    );
  }
  for (const text of texts) {
    assert.equal(sha256HexSync(text), await sha256Hex(text), JSON.stringify(text.slice(0, 40)));
  }
});
