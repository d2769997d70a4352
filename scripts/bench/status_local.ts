/**
 * `gitargus status --local` as a user starts it (the real CLI, its permission flags, a fresh process)
 * against a sequential loop of `git status` over the same repositories, alternating, at two sizes so that
 * the cost per repository shows apart from the process's start.
 */

import { denoEnv } from "../../tests/helpers/cli.ts";
import { benchCli, type BenchWorkspace } from "./workspace.ts";
import { median, timed } from "./stats.ts";

export interface StatusLocalFigures {
  repositories: number;
  local: number;
  loop: number;
}

export async function benchStatusLocal(ws: BenchWorkspace, rounds: number): Promise<StatusLocalFigures> {
  const env = { ...(await denoEnv()), ...ws.env };
  const status = () => benchCli(["status", "--local"], env);
  const loop = async () => {
    for (const name of ws.names) {
      await new Deno.Command("git", {
        args: ["status", "--porcelain"],
        cwd: `${ws.workspace}/${name}`,
        env,
        clearEnv: true,
        stdout: "null",
      }).output();
    }
  };
  await status(); // warm the module cache and the config's resolved copy
  const local: number[] = [];
  const loops: number[] = [];
  for (let round = 0; round < rounds; round++) {
    local.push(await timed(status));
    loops.push(await timed(loop));
  }
  return { repositories: ws.names.length, local: median(local), loop: median(loops) };
}
