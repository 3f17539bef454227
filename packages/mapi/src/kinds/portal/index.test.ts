import { describe, expect, it } from 'vitest';
import type { Portal, PortalListing } from '@gko/api';
import { toPortalSpec } from './index.ts';
import { toPortalListingSpec } from '../portal-listing/index.ts';

const portal = (spec: Partial<Portal['spec']>): Portal =>
  ({
    kind: 'Portal',
    metadata: { namespace: 'team', name: 'hub' },
    spec: { contextRef: { name: 'apim' }, name: 'Hub', ...spec },
  }) as Portal;

describe('the portal body', () => {
  it('sends the deprecated navigation as the top navigation bar, in the order listed, without order values', () => {
    const body = toPortalSpec(
      portal({
        navigation: [
          { path: '/b', displayName: 'B', order: 1 },
          { path: '/a', order: 0 },
        ],
      }),
    );
    expect(body).toEqual({
      hrid: 'team-hub',
      name: 'Hub',
      structure: { topNavbar: [{ path: '/b', displayName: 'B' }, { path: '/a' }] },
    });
  });

  it('sends the structure as written, and no navigation when there is none', () => {
    expect(toPortalSpec(portal({ structure: { topNavbar: [{ path: '/x' }] } })).structure).toEqual({
      topNavbar: [{ path: '/x' }],
    });
    expect(toPortalSpec(portal({}))).toEqual({ hrid: 'team-hub', name: 'Hub' });
  });
});

describe('the listing body', () => {
  it('names each API by the HRID its namespace and name make, unless told otherwise', () => {
    const listing = {
      kind: 'PortalListing',
      metadata: { namespace: 'team', name: 'apis' },
      spec: {
        portalRef: { name: 'hub' },
        apis: [
          { ref: { name: 'orders' }, location: '/apis', order: 2 },
          { ref: { name: 'ledger', namespace: 'finance' }, location: '/apis' },
        ],
      },
    } as PortalListing;
    expect(toPortalListingSpec(listing)).toEqual({
      hrid: 'team-apis',
      apis: [
        { apiHrid: 'team-orders', location: '/apis', order: 2 },
        { apiHrid: 'finance-ledger', location: '/apis' },
      ],
    });
    expect(toPortalListingSpec(listing, (_ref, i) => `api-${i}`).apis.map((a) => a.apiHrid)).toEqual([
      'api-0',
      'api-1',
    ]);
  });
});
