import assert from "node:assert/strict";
import manifest from "../deno.json" with { type: "json" };
import { permissionFlags } from "../src/permissions.ts";
import { expectedTasks } from "./tasks.ts";

Deno.test("deno.json's tasks equal expectedTasks(); `deno task tasks:sync` rewrites them", () => {
  const tasks: Record<string, string> = manifest.tasks;
  const written = Object.fromEntries(Object.keys(expectedTasks()).map((name) => [name, tasks[name]]));
  assert.deepEqual(written, expectedTasks());
});

Deno.test("expectedTasks() runs `deno task gitargus` with the one permission list", () => {
  const task = expectedTasks().gitargus!;
  assert.ok(task.includes(` ${permissionFlags("linux").join(" ")} main.ts`), task);
});
