import type { ItemKind } from "../state/attention_item.ts";
import type { EventHookConfig } from "../event_hooks/mod.ts";
import type { AutoPull } from "../sync/branch_policy.ts";

export type { AutoPull, EventHookConfig };

/** The validated, resolved configuration. Paths are absolute; defaults are filled in. */
export interface Config {
  /** Absolute path of the file this was loaded from. */
  file: string;
  hostname: string;
  /** Absolute, existing directory (symlinks resolved). */
  root: string;
  repositories: RepositoryConfig[];
  /** IANA name, for display only; stored times are UTC. */
  timezone?: string;
  /** Global default for automatic fast-forward (which branches may move); a repository may override it. */
  autoPull: AutoPull;
  aws: AwsConfig;
  daemon: DaemonConfig;
  /** Attention items and their notifications; absent (a config built in code) means the defaults. */
  notify?: NotifyConfig;
  /** `hooks.onEvent`: commands run on daemon events; absent means none. */
  eventHooks?: EventHookConfig[];
  /** `gitargus wip`: absent (a config built in code) means the defaults. */
  wip?: WipConfig;
  /** One-line notices for the user (obsolete keys and the like). */
  notices: string[];
}

export interface WipConfig {
  /** Files larger than this are left out of a snapshot unless forced. */
  maxFileSizeMB: number;
  /** The daemon saves work unchanged this long; 0: never. */
  saveIdleMinutes: number;
  /** The daemon saves every repository's unsaved work as it stops. */
  saveOnStop: boolean;
}

export interface RepositoryConfig {
  /** The name as configured, relative to root with forward slashes: the identity used in the store and events. */
  name: string;
  /** Absolute path: root joined with name. */
  path: string;
  autoPull: AutoPull;
}

export interface AwsConfig {
  region?: string;
  profile?: string;
  /** Endpoint for every service (emulators, LocalStack). */
  endpoint?: string;
  dynamodb: { table: string; endpoint?: string };
  sqs: { queue?: string; endpoint?: string };
  sns: { topic: { arn?: string }; endpoint?: string };
}

export interface DaemonConfig {
  /** Full reconcile period. */
  reconcileMinutes: number;
  /** Host heartbeat period. */
  heartbeatSeconds: number;
  /** Timeout for a single fetch. */
  fetchTimeoutSeconds: number;
  /** Maximum git processes at once across repositories. */
  parallelism: number;
}

export interface NotifyConfig {
  /** False (`notify: false`): nothing is delivered; items are still kept and listed by `status --attention`. */
  enabled: boolean;
  desktop: boolean;
  /** Run by `sh -c` with the notice as JSON on stdin and as GITARGUS_* variables. */
  command?: string;
  /** Which kinds are raised at all. */
  kinds: Record<ItemKind, boolean>;
  workAtRiskMinutes: number;
  awsUnreachableMinutes: number;
  /** How often the daemon reads the other machines' states from the store. */
  othersSeconds: number;
  /** For each notification program. */
  timeoutSeconds: number;
}
