/**
 * What a snapshot must not carry to the remote without the user saying so: files that look like secrets,
 * and files too large for a ref nobody reviews. Judged before anything is written into the object store, so
 * a refused `.env` never becomes an object, let alone a pushed one.
 */

export interface RefusedFile {
  path: string;
  reason: string;
}

/** Names (the last part of a path, any case) that usually hold credentials or keys. */
const SECRET_NAMES: readonly RegExp[] = [
  /^\.env$/,
  /^\.env\..+$/,
  /\.pem$/,
  /\.key$/,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/,
  /\.p12$/,
  /\.pfx$/,
  /\.keystore$/,
  /\.jks$/,
  /^\.netrc$/,
  /^\.npmrc$/,
  /^\.pypirc$/,
  /^credentials(\.json)?$/,
  /^secrets?\..+$/,
];

/** Templates that are meant to be shared: `.env.example`, `.env.sample`, `.env.template`. */
const SHARED_TEMPLATES = /^\.env\.(example|sample|template|dist)$/;

export function looksSecret(path: string): boolean {
  const name = (path.split("/").pop() ?? path).toLowerCase();
  if (SHARED_TEMPLATES.test(name)) return false;
  return SECRET_NAMES.some((pattern) => pattern.test(name));
}

export interface CandidateFile {
  path: string;
  /** Bytes; null for a file that is gone (a deletion is never refused). */
  size: number | null;
}

export function refusedFiles(files: readonly CandidateFile[], maxBytes: number): RefusedFile[] {
  const refused: RefusedFile[] = [];
  for (const file of files) {
    if (file.size === null) continue;
    if (looksSecret(file.path)) refused.push({ path: file.path, reason: "looks like it holds a secret" });
    else if (file.size > maxBytes) {
      refused.push({
        path: file.path,
        reason: `${megabytes(file.size)} MB, over wip.maxFileSizeMB (${megabytes(maxBytes)})`,
      });
    }
  }
  return refused;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1).replace(/\.0$/, "");
}
