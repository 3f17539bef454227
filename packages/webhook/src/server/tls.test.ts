import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, type CertificateAuthority } from '@gko/kube/pki';
import { silentLogger } from '@gko/runtime';
import { readKeyPair, watchKeyPair, type KeyPair } from './tls.ts';

let ca: CertificateAuthority;
let dir: string;
let stop: (() => void) | undefined;

const files = () => ({ certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') });
const issue = () => ca.issue({ commonName: 'webhook', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });

async function replace(name: string, content: string) {
  await writeFile(join(dir, `${name}.new`), content);
  await rename(join(dir, `${name}.new`), join(dir, name));
}

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'tls-test-ca', validityDays: 1 });
});
afterEach(async () => {
  stop?.();
  await rm(dir, { recursive: true, force: true });
});

describe('the serving certificate files', () => {
  it('are refused when the key is not the certificate’s', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gko-tls-'));
    const [one, two] = await Promise.all([issue(), issue()]);
    await writeFile(files().certFile, one.certPem);
    await writeFile(files().keyFile, two.keyPem);
    await expect(readKeyPair(files())).rejects.toThrow(`${files().keyFile} is not the key of ${files().certFile}`);
  });

  it('are read again when the key and then the certificate are replaced, without waiting for the poll', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gko-tls-'));
    const first = await issue();
    await writeFile(files().certFile, first.certPem);
    await writeFile(files().keyFile, first.keyPem);
    const seen: KeyPair[] = [];
    stop = watchKeyPair(files(), (pair) => seen.push(pair), silentLogger, 60_000);
    await sleep(200);
    const second = await issue();
    // Between the two renames the files do not match: that moment must not hide the second change.
    await replace('tls.key', second.keyPem);
    await replace('tls.crt', second.certPem);
    for (let i = 0; i < 40 && seen.length === 0; i++) await sleep(50);
    expect(seen.at(-1)).toEqual({ cert: second.certPem, key: second.keyPem });
  });
});
