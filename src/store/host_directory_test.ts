import assert from "node:assert/strict";
import { type FleetSource, readFleet } from "./host_directory.ts";

function source(partitions: Record<string, string[]>, listed: string[]) {
  const reads: string[] = [];
  let open = 0;
  let mostOpen = 0;
  const fleet: FleetSource<string> = {
    hostnames: () => Promise.resolve(listed),
    async partition(hostname) {
      reads.push(hostname);
      mostOpen = Math.max(mostOpen, ++open);
      await new Promise((resolve) => setTimeout(resolve, 1));
      open--;
      return partitions[hostname] ?? [];
    },
    scan() {
      reads.push("(scan)");
      return Promise.resolve(Object.values(partitions).flat());
    },
  };
  return { fleet, reads, mostOpen: () => mostOpen };
}

Deno.test("readFleet() reads each listed host's partition and never scans", async () => {
  const s = source({ a: ["a1", "a2"], b: ["b1"], unlisted: ["u1"] }, ["a", "b"]);
  const read = await readFleet(s.fleet);
  assert.equal(read.by, "query");
  assert.deepEqual(read.items.sort(), ["a1", "a2", "b1"]);
  assert.deepEqual(s.reads.sort(), ["a", "b"]);
});

Deno.test("readFleet() scans a table whose directory lists no host, as earlier versions left it", async () => {
  const s = source({ old1: ["o1"], old2: ["o2"] }, []);
  const read = await readFleet(s.fleet);
  assert.equal(read.by, "scan");
  assert.deepEqual(read.items.sort(), ["o1", "o2"]);
  assert.deepEqual(s.reads, ["(scan)"]);
});

Deno.test("readFleet() reads at most its parallelism of partitions at once", async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `h${i}`);
  const s = source(Object.fromEntries(hosts.map((h) => [h, [h]])), hosts);
  const read = await readFleet(s.fleet, 3);
  assert.equal(read.items.length, 20);
  assert.equal(s.mostOpen(), 3);
});
