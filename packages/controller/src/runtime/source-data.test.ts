import { describe, expect, it } from 'vitest';
import { silentLogger } from '@gko/runtime';
import { SourceLoader } from './source-data.ts';

const secret = (name: string) => ({ kind: 'Secret' as const, namespace: 'ns', name });

describe('reading the data of Secrets cached without it', () => {
  it('reads each object once however many ask, and waits for every read in flight', async () => {
    const reads: string[] = [];
    const finish: (() => void)[] = [];
    const loader = new SourceLoader(
      {
        loadData: (kind, namespace, name) => {
          reads.push(`${kind}/${namespace}/${name}`);
          return new Promise<void>((resolve) => finish.push(resolve));
        },
      },
      silentLogger,
    );
    loader.start([secret('a'), secret('b')]);
    loader.start([secret('a')]);
    let ready = false;
    const waiting = loader.ready([secret('a')]).then(() => (ready = true));
    expect(reads).toEqual(['Secret/ns/a', 'Secret/ns/b']);
    finish[0]!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // b, read because another object named it, is waited for too (a context's credentials).
    expect(ready).toBe(false);
    finish[1]!();
    await waiting;
    expect(ready).toBe(true);
  });

  it('fails a reconcile that needs a Secret whose read failed, naming it, and reads it again next time', async () => {
    let attempts = 0;
    const loader = new SourceLoader(
      {
        loadData: () => {
          attempts++;
          return attempts === 1 ? Promise.reject(new Error('403 Forbidden')) : Promise.resolve();
        },
      },
      silentLogger,
    );
    await expect(loader.ready([secret('creds')])).rejects.toThrow('could not read Secret ns/creds: 403 Forbidden');
    await loader.ready([secret('creds')]);
    expect(attempts).toBe(2);
  });
});
