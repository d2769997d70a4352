/**
 * `serve --open`: the browser gets the path of the user-only page that forwards to the dashboard, so the
 * token never appears in a process list. The opener is the desktop's own (`xdg-open`, macOS `open`), which is
 * why the permission list names it (src/permissions.ts).
 */

export async function openInBrowser(file: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const opener = Deno.build.os === "darwin" ? "open" : "xdg-open";
  try {
    const child = new Deno.Command(opener, {
      args: [`file://${file}`],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const { code } = await child.status;
    return code === 0 ? { ok: true } : { ok: false, reason: `${opener} exited with ${code}` };
  } catch (error) {
    const missing = error instanceof Deno.errors.NotFound;
    return { ok: false, reason: missing ? `${opener} is not installed` : (error as Error).message };
  }
}
