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
  /** Global default for automatic fast-forward; a repository may override it. */
  autoPull: boolean;
  aws: AwsConfig;
  daemon: DaemonConfig;
  /** One-line notices for the user (obsolete keys and the like). */
  notices: string[];
}

export interface RepositoryConfig {
  /** The name as configured, relative to root with forward slashes: the identity used in the store and events. */
  name: string;
  /** Absolute path: root joined with name. */
  path: string;
  autoPull: boolean;
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
