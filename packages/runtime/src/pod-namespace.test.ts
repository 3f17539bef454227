import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podNamespace } from './settings.ts';

describe('the namespace the program runs in', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sa-')), 'namespace');
  writeFileSync(file, 'gko-system\n');

  it('comes from POD_NAMESPACE, else the service account, else nowhere', () => {
    expect(podNamespace({ POD_NAMESPACE: 'from-env' }, file)).toBe('from-env');
    expect(podNamespace({}, file)).toBe('gko-system');
    expect(podNamespace({}, join(tmpdir(), 'no-such-service-account-file'))).toBeUndefined();
  });
});
