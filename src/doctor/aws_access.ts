/**
 * Which credentials the AWS SDK would use, and whether AWS answers: the doctor finds the source without a
 * call, then learns from its first signed calls whether the credentials work and the endpoints are reachable.
 */

import { AwsError } from "../errors.ts";
import { CHECK, type CheckResult, fail, pass, skip } from "./checks.ts";

export interface CredentialFacts {
  env: (name: string) => string | undefined;
  /** `aws.profile` from the config. */
  configProfile?: string;
  /** The shared credentials and config files' text; null when absent. */
  credentialsFile: string | null;
  configFile: string | null;
}

export interface CredentialSource {
  source: string;
  found: boolean;
}

/** Where the AWS SDK would take credentials from, in the order of its default provider chain. */
export function credentialSource(facts: CredentialFacts): CredentialSource {
  const { env } = facts;
  const profiles = new Set([
    ...profileNames(facts.credentialsFile, "credentials"),
    ...profileNames(facts.configFile, "config"),
  ]);
  // A profile set by name wins: the SDK then skips the environment's keys.
  const profile = env("AWS_PROFILE") || facts.configProfile;
  if (profile) {
    return profiles.has(profile)
      ? { source: `profile "${profile}" in ~/.aws`, found: true }
      : { source: `profile "${profile}", which is not in ~/.aws/credentials or ~/.aws/config`, found: false };
  }
  if (env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
    return { source: "environment (AWS_ACCESS_KEY_ID)", found: true };
  }
  if (profiles.has("default")) return { source: "default profile in ~/.aws", found: true };
  if (env("AWS_WEB_IDENTITY_TOKEN_FILE")) {
    return { source: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", found: true };
  }
  if (env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    return { source: "container (AWS_CONTAINER_CREDENTIALS_*)", found: true };
  }
  return { source: "instance metadata or none (could not find static credentials)", found: false };
}

/** Section names: `[name]` in the credentials file; `[profile name]` or `[default]` in the config file. */
export function profileNames(text: string | null, kind: "credentials" | "config"): string[] {
  const names: string[] = [];
  for (const match of (text ?? "").matchAll(/^\s*\[\s*(profile\s+)?([^\]]*?)\s*\]/gm)) {
    const name = match[2]!;
    if (kind === "credentials" || match[1] || name === "default") names.push(name);
  }
  return names;
}

/** What the signed AWS calls showed: whether any got an answer, and why they stopped if they did. */
export interface AwsOutcome {
  answered: boolean;
  problem: AwsProblem | null;
}

export interface AwsProblem {
  kind: "credentials" | "network";
  message: string;
}

export function credentialsCheck(found: CredentialSource, outcome: AwsOutcome): CheckResult {
  if (outcome.problem?.kind === "credentials") {
    return fail(
      CHECK.credentials,
      `${found.source}: ${outcome.problem.message}`,
      found.found
        ? "renew or correct those credentials (`aws sso login`, `aws configure`)"
        : "set AWS_PROFILE or aws.profile, or run `aws configure`",
    );
  }
  if (outcome.answered) {
    return pass(
      CHECK.credentials,
      found.found ? found.source : "instance metadata or another SDK source (no static credentials)",
    );
  }
  if (!found.found) {
    return fail(CHECK.credentials, found.source, "set AWS_PROFILE or aws.profile, or run `aws configure`");
  }
  return pass(CHECK.credentials, `${found.source} (not verified: AWS did not answer)`);
}

const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "TokenProviderError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);

/** An AWS answer is a service error; no HTTP status means the request never got one. */
export function classifyAwsError(error: unknown): AwsProblem["kind"] | "service" {
  const name = error instanceof Error ? error.name : "";
  if (CREDENTIAL_ERRORS.has(name)) return "credentials";
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined ? "network" : "service";
}

/**
 * Runs the AWS checks one by one. After a credential or network failure the rest are skipped: one
 * failure says it, not six.
 */
export class AwsGate implements AwsOutcome {
  answered = false;
  problem: AwsProblem | null = null;

  /** The skip of a check that cannot run any more, or null while AWS still answers. */
  skipped(name: string): CheckResult | null {
    return this.problem ? skip(name, `AWS unreachable: ${this.problem.message}`) : null;
  }

  async check(name: string, action: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
    const skipped = this.skipped(name);
    if (skipped) return skipped;
    try {
      const result = await run();
      this.answered = true;
      return result;
    } catch (error) {
      const kind = classifyAwsError(error);
      const message = new AwsError(action, error).message;
      if (kind === "service") {
        this.answered = true;
        const denied = /AccessDenied|AuthorizationError/.test((error as Error).name);
        return fail(
          name,
          message,
          denied ? "allow it in the IAM policy that `gitargus setup-aws` prints" : "",
        );
      }
      this.problem = { kind, message };
      return kind === "credentials"
        ? skip(name, "not checked: no usable AWS credentials")
        : fail(name, message, "check the network, aws.region and any endpoint settings");
    }
  }
}

/** The files the SDK reads profiles from; its variables move them. Null without a home folder. */
export function sharedFilePaths(
  env: (name: string) => string | undefined,
  home: string | undefined,
): { credentials: string; config: string } | null {
  const credentials = env("AWS_SHARED_CREDENTIALS_FILE") || (home && `${home}/.aws/credentials`);
  const config = env("AWS_CONFIG_FILE") || (home && `${home}/.aws/config`);
  return credentials && config ? { credentials, config } : null;
}
