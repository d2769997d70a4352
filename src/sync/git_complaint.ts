/** The line of git's stderr that says what stopped it: the fatal one when there is one. */
export function gitComplaint(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith("fatal: ")) ?? lines.find((l) => l.startsWith("error: ")) ??
    lines[0];
  return line?.replace(/^(fatal|error): /, "") ?? "git stopped without saying why";
}
