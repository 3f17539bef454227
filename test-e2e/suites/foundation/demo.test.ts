// The README's demo command must keep working: it starts its own control plane and reports it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const cluster = inject('controlPlane');

describe('the local demo', () => {
  it('starts a control plane, shows the server version through kubectl, and stops it again', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'demo', 'main.ts'), '--once'],
      {
        timeout: 120_000,
      },
    );
    expect(stdout).toMatch(/control plane is up at https:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain(`Server Version: ${cluster.kubernetesVersion}`);
    expect(stdout).toContain('stopping the control plane');
  });
});
