/**
 * Modules loaded on first use through a computed specifier. Run from source, Deno loads every module that a
 * literal `import("...")` names before the program starts, so the pre-push hook, which needs almost none of
 * them, would load the command parser, the YAML parser and three AWS SDK clients inside every `git push`.
 * `deno compile` cannot see computed imports: scripts/compile.ts passes each of these to `--include`.
 */

export const LAZY_MODULES = {
  cli: "./cli/mod.ts",
  hookPublish: "./cli/commands/hook_publish.ts",
  leave: "./cli/commands/leave.ts",
  status: "./cli/commands/status.ts",
  configSource: "./config/source.ts",
  configSchema: "./config/schema.ts",
  configResolve: "./config/resolve.ts",
  logger: "./log/logger.ts",
  awsServices: "./aws/services.ts",
  hookBundle: "./hook_bundle.ts",
  parseEvent: "./events/parse_event.ts",
  dynamoStore: "./store/dynamo_store.ts",
  localSnapshot: "./report/local_snapshot.ts",
  snsPublisher: "./events/publisher.ts",
  sqsSubscriber: "./events/subscriber.ts",
} as const;

export type LazyModule = keyof typeof LAZY_MODULES;

/** `T` is the module's type, written `typeof import("...")` at the call site: a type, never a load. */
export function lazy<T>(module: LazyModule): Promise<T> {
  return import(new URL(LAZY_MODULES[module], import.meta.url).href) as Promise<T>;
}
