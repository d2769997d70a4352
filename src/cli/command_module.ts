/**
 * Command modules, loaded by name when their command runs. A literal `import("./commands/x.ts")` in the
 * command table would make Deno prepare every command's module graph (the AWS SDKs, the dashboard, git's
 * side) each time the table loads, some 20–30 ms of every `gitargus status`. `deno compile` cannot see these
 * computed specifiers: scripts/compile.ts includes each module of commands/.
 */

export function commandModule<T>(file: string): Promise<T> {
  return import(new URL(`./commands/${file}.ts`, import.meta.url).href) as Promise<T>;
}
