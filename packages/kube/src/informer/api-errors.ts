// The HTTP status behind a failed call, whichever client made it: the generated API clients throw an
// ApiException with `code`, the watch reports an Error with `statusCode`.
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/** 410 Gone: the resource version (or a list's continue token) is older than what the server keeps. */
export const GONE = 410;

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
}
