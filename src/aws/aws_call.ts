/** Runs one AWS call and names the action in the error a user reads. */

import { AwsError, GitargusError } from "../errors.ts";

export async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw wrap(action, error);
  }
}

export function wrap(action: string, error: unknown): Error {
  return error instanceof GitargusError ? error : new AwsError(action, error);
}
