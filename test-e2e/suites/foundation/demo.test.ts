// The README's demo command must keep working: it starts its own control plane, applies the examples
// through the webhook, synchronises them through the controllers, shows a denial, and stops
// everything again.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const cluster = inject('controlPlane');

describe('the local demo', () => {
  it('starts a control plane, the webhook and the controllers, syncs the examples, shows a denial, and stops', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'demo', 'main.ts'), '--once'],
      {
        timeout: 120_000,
      },
    );
    expect(stdout).toMatch(/control plane is up at https:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain(`Server Version: ${cluster.kubernetesVersion}`);
    expect(stdout).toMatch(/applied \d+ example objects through the webhook/);
    expect(stdout).toMatch(/apiv4definition\.gravitee\.io\/orders-api +PROXY +STARTED +PUBLISHED +1\.2 +True/);
    expect(stdout).toMatch(/apidefinition\.gravitee\.io\/legacy-stock-api .* True /);
    expect(stdout).toMatch(/managementcontext\.gravitee\.io\/apim +http:\/\/127\.0\.0\.1:\d+ +True/);
    expect(stdout).toMatch(/^health-api +4 /m);
    expect(stdout).toContain('configmap/health-api: apiDefinitionVersion 4.0.0');
    for (const object of [
      'portal.gravitee.io/developer-portal',
      'portallink.gravitee.io/status-page',
      'portallisting.gravitee.io/shop-apis',
      'documentation.gravitee.io/getting-started',
      'documentation.gravitee.io/orders-guide',
    ])
      expect(stdout).toMatch(new RegExp(`^${object.replace(/\./g, '\\.')} .* True `, 'm'));
    expect(stdout).toMatch(/^shop-ingress +\d+ /m);
    expect(stdout).toContain(
      'configmap/shop-ingress (from Ingress demo/shop-ingress, class graviteeio): a v2 definition {"id":',
    );
    expect(stdout).toContain('"virtual_hosts":[{"host":"shop.example.com","path":"/shop"}]');
    expect(stdout).toContain('denied the request: ApiV4Definition demo/broken has 3 problems:');
    expect(stdout).toContain('* spec.plans: a started API needs at least one plan');
    expect(stdout).toContain('stopping the controllers, the webhook, the APIM simulator and the control plane');
  });
});
