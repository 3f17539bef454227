// A bearer token kept in a file that someone else rewrites: the kubelet rotates bound service-account
// tokens (about an hour long) well before they expire, and tokenFile users are refreshed the same way.
// Reading a small file every few seconds is cheaper and simpler than watching it, and soon enough.
import { readFile } from 'node:fs/promises';

export const TOKEN_FILE_REFRESH_MS = 10_000;

/** The token of `path`, read again when the last read is older than `refreshMs`. */
export function tokenFromFile(path: string, refreshMs = TOKEN_FILE_REFRESH_MS): () => Promise<string> {
  let token: string | undefined;
  let readAt = 0;
  // Requests that find the token due for a refresh at the same moment share one read.
  let reading: Promise<string> | undefined;

  const read = async (): Promise<string> => {
    try {
      const text = (await readFile(path, 'utf8')).trim();
      if (!text) throw new Error('the file is empty');
      token = text;
    } catch (error) {
      // A token read before stays valid for a while: better than failing every request at once.
      if (token === undefined)
        throw new Error(`cannot read the token file ${path}: ${(error as Error).message}`, { cause: error });
    }
    readAt = Date.now();
    return token;
  };

  return () => {
    if (token !== undefined && Date.now() - readAt < refreshMs) return Promise.resolve(token);
    reading ??= read().finally(() => (reading = undefined));
    return reading;
  };
}
