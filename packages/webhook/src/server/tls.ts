// The serving certificate, read from files and read again whenever they change: cert-manager and
// the kubelet replace them in place (a Secret volume swaps a symlink), and the server must follow
// without a restart.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { dirname } from 'node:path';
import type { Logger } from '@gko/runtime';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface KeyPair {
  cert: string;
  key: string;
}

/** Reads the pair and checks that the key belongs to the certificate. */
export async function readKeyPair(files: TlsFiles): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  const certificate = new X509Certificate(cert);
  if (!certificate.checkPrivateKey(createPrivateKey(key)))
    throw new Error(`${files.keyFile} is not the key of ${files.certFile}`);
  return { cert, key };
}

async function fingerprint(files: TlsFiles): Promise<string> {
  const stats = await Promise.all([stat(files.certFile), stat(files.keyFile)]);
  return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join('|');
}

/**
 * Calls `onChange` with the new pair whenever the files change (watching their folders, and checking
 * every `pollMs` too, since file events are not reliable on every volume type).
 */
export function watchKeyPair(
  files: TlsFiles,
  onChange: (pair: KeyPair) => void,
  logger: Logger,
  pollMs = 10_000,
): () => void {
  let last = '';
  let running: Promise<void> | undefined;
  let again = false;
  const compare = async () => {
    try {
      const now = await fingerprint(files);
      if (now !== last) {
        const pair = await readKeyPair(files);
        if (last !== '') onChange(pair);
        last = now;
      }
    } catch (error) {
      logger.warn('the serving certificate cannot be read (yet); keeping the one in use', {
        error: (error as Error).message,
      });
    }
  };
  // A change seen during a check is checked again afterwards: the key and the certificate are
  // replaced one after the other, and the second change must not be lost.
  const check = async () => {
    if (running) return void (again = true);
    running = (async () => {
      do {
        again = false;
        await compare();
      } while (again);
    })();
    await running;
    running = undefined;
  };
  void check();
  const watchers: FSWatcher[] = [...new Set([dirname(files.certFile), dirname(files.keyFile)])].map((dir) =>
    watch(dir, { persistent: false }, () => void check()),
  );
  const timer = setInterval(() => void check(), pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const w of watchers) w.close();
  };
}
