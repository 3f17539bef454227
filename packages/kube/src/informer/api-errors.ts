// What the informers make of failed calls to the API server.
import { KubeApiError } from '../client/api-request.ts';

/** The HTTP status the API server answered a failed call with; undefined when it did not answer. */
export function httpStatusOf(error: unknown): number | undefined {
  return error instanceof KubeApiError ? error.status : undefined;
}

/** 410 Gone: the resource version (or a list's continue token) is older than what the server keeps. */
export const GONE = 410;

/** 429: the server is busy, or not ready to serve watches yet (its storage is initializing). */
export const TOO_MANY_REQUESTS = 429;

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
}
