import { describe, expect, it } from 'vitest';
import {
  assertFreeToTakeOver,
  claimLookup,
  identityClaims,
  identityIndexValues,
  identityProblems,
  IDENTITY_INDEX,
  type ClaimingObject,
} from './claims.ts';
import { hashUuid } from './uuid.ts';

const managed = [{ type: 'AutomationAPIManaged', status: 'True' }];
const context = (namespace: string, name: string, baseUrl = 'http://apim') => ({
  kind: 'ManagementContext',
  metadata: { namespace, name },
  spec: { baseUrl, organizationId: 'DEFAULT', environmentId: 'DEFAULT' },
});
const api = (
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
  status?: ClaimingObject['status'],
  created = '2026-01-01T00:00:00Z',
): ClaimingObject => ({
  kind: 'ApiV4Definition',
  metadata: { namespace, name, uid: `${namespace}/${name}`, creationTimestamp: created },
  spec: { contextRef: { name: 'apim', namespace: 'shared' }, ...spec },
  ...(status ? { status } : {}),
});

/** The identity index over a list of objects, as an informer cache keeps it. */
function lookupOf(objects: (ClaimingObject | ReturnType<typeof context>)[]) {
  return claimLookup({
    byIndex: (kind, index, value) =>
      index === IDENTITY_INDEX ? objects.filter((o) => o.kind === kind && identityIndexValues(o).includes(value)) : [],
    get: (kind, namespace, name) =>
      objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name),
  });
}

const teamB = api(
  'team-b',
  'payments',
  {},
  { id: 'b-id', crossId: 'b-cross', conditions: managed, plans: { gold: 'b-plan' } },
);
const world = [context('shared', 'apim'), teamB];

describe('what an object claims in APIM', () => {
  it('is its HRID, the ids its status records and those its spec names', () => {
    expect(identityClaims(teamB).map((c) => c.value)).toEqual([
      'api/hrid/team-b-payments',
      'api/id/b-id',
      'api/crossId/b-cross',
      'api/plan/b-plan',
    ]);
    // Known by UUID: no HRID, but the crossId this operator derives from its namespace and name.
    expect(identityClaims(api('evil', 'x', { id: 'b-id' })).map((c) => `${c.field}=${c.shown}`)).toEqual([
      'spec.id=b-id',
      `metadata.name=${hashUuid('evil/x')}`,
    ]);
    expect(identityClaims(teamB).find((c) => c.field === 'metadata.name')?.strength).toBe('status');
  });

  it('is nothing for an object deployed without APIM', () => {
    expect(identityClaims({ ...teamB, spec: {} })).toEqual([]);
  });
});

describe('identity problems', () => {
  it('refuse a spec.hrid other than the one the namespace and name make, naming the value it must have', () => {
    expect(identityProblems(api('evil', 'x', { hrid: 'team-b-payments' }), lookupOf(world))).toEqual([
      {
        path: 'spec.hrid',
        message:
          'must be evil-x or be left out: objects are known to APIM by their namespace and name, so that no namespace can name what another one manages',
      },
    ]);
    // A manifest exported from APIM repeats its own HRID: that passes.
    expect(identityProblems(api('team-a', 'orders', { hrid: 'team-a-orders' }), lookupOf(world))).toEqual([]);
  });

  it("refuse an id, crossId or plan id another namespace's object holds in the same environment, naming it", () => {
    const evil = api('evil', 'x', { id: 'b-id', crossId: 'b-cross', plans: { free: { id: 'b-plan' } } });
    expect(identityProblems(evil, lookupOf([...world, evil])).map((p) => p.path)).toEqual([
      'spec.id',
      'spec.crossId',
      'spec.plans.free.id',
    ]);
    expect(identityProblems(evil, lookupOf([...world, evil]))[0]!.message).toBe(
      'b-id names an APIM object that ApiV4Definition team-b/payments manages (its status.id): an object can only take over an APIM object that no other object manages',
    );
    // The owner is not held back by the newcomer.
    expect(identityProblems(teamB, lookupOf([...world, evil]))).toEqual([]);
  });

  it('let a crossId through in another environment (a promotion), never an id', () => {
    const other = {
      ...context('evil', 'other'),
      spec: { baseUrl: 'http://apim', organizationId: 'DEFAULT', environmentId: 'PROD' },
    };
    const promoted = api('evil', 'x', { crossId: 'b-cross', contextRef: { name: 'other', namespace: 'evil' } });
    expect(identityProblems(promoted, lookupOf([...world, other, promoted]))).toEqual([]);
    const byId = api('evil', 'y', { id: 'b-id', contextRef: { name: 'other', namespace: 'evil' } });
    expect(identityProblems(byId, lookupOf([...world, other, byId])).map((p) => p.path)).toEqual(['spec.id']);
  });

  it('tell environments apart by organization and environment, not by how the URL is written', () => {
    const alias = context('evil', 'alias', 'http://127.0.0.1:8083/');
    const aliased = api('evil', 'x', { crossId: 'b-cross', contextRef: { name: 'alias', namespace: 'evil' } });
    expect(identityProblems(aliased, lookupOf([...world, alias, aliased])).map((p) => p.path)).toEqual([
      'spec.crossId',
    ]);
  });

  it('keep an HRID with the object APIM knows by it, even against an older object joining later', () => {
    const joining = api('a', 'b-c', {}, undefined, '2025-01-01T00:00:00Z');
    const holder = api('a-b', 'c', {}, { id: 'h-id', conditions: managed }, '2026-06-01T00:00:00Z');
    const lookup = lookupOf([context('shared', 'apim'), joining, holder]);
    expect(identityProblems(holder, lookup)).toEqual([]);
    expect(identityProblems(joining, lookup).map((p) => p.path)).toEqual(['metadata.name']);
  });

  it("refuse the crossId derived from another object's namespace and name, before it is synchronised", () => {
    const squatter = { ...api('evil', 'x', { crossId: hashUuid('team-b/ledger') }), kind: 'ApiDefinition' };
    const ledger = { ...api('team-b', 'ledger', {}, undefined, '2026-03-01T00:00:00Z'), kind: 'ApiDefinition' };
    const lookup = lookupOf([context('shared', 'apim'), squatter, ledger]);
    // The squatter holds it by its spec, first: the owner by construction is refused, and says by whom.
    expect(identityProblems(ledger, lookup)[0]?.message).toContain('ApiDefinition evil/x');
  });

  it('cover groups, shared policy groups, subscriptions and pages too', () => {
    const group = { ...api('team-b', 'devs', {}, { id: 'g-id', conditions: managed }), kind: 'Group' };
    const groupThief = { ...api('evil', 'g', { id: 'g-id' }), kind: 'Group' };
    const spg = {
      ...api('team-b', 'limits', {}, { id: 's-id', crossId: 's-cross', conditions: managed }),
      kind: 'SharedPolicyGroup',
    };
    const spgThief = { ...api('evil', 's', { crossId: 's-cross' }), kind: 'SharedPolicyGroup' };
    const subscription = (namespace: string, name: string): ClaimingObject => ({
      kind: 'Subscription',
      metadata: {
        namespace,
        name,
        creationTimestamp: namespace === 'a-b' ? '2026-01-01T00:00:00Z' : '2026-02-01T00:00:00Z',
      },
      spec: { api: { name: 'payments', namespace: 'team-b' } },
    });
    const pages = api('team-b', 'docs', { pages: { home: { id: 'p-id' } } });
    const pageThief = api('evil', 'p', { pages: { index: { id: 'p-id' } } }, undefined, '2026-09-01T00:00:00Z');
    const objects = [
      context('shared', 'apim'),
      group,
      groupThief,
      spg,
      spgThief,
      subscription('a-b', 'c'),
      subscription('a', 'b-c'),
      pages,
      pageThief,
    ];
    const lookup = lookupOf(objects);
    expect(identityProblems(groupThief, lookup).map((p) => p.path)).toEqual(['spec.id']);
    expect(identityProblems(spgThief, lookup).map((p) => p.path)).toEqual(['spec.crossId']);
    expect(identityProblems(subscription('a', 'b-c'), lookup).map((p) => p.path)).toEqual(['metadata.name']);
    expect(identityProblems(pageThief, lookup).map((p) => p.path)).toEqual(['spec.pages.index.id']);
  });

  it('refuse a step running a shared policy group by its ids, and a spec.id moving an object APIM knows', () => {
    const raw = api('evil', 'x', {
      flows: [
        { request: [{ policy: 'shared-policy-group-policy', configuration: { sharedPolicyGroupId: 's-cross' } }] },
      ],
    });
    expect(identityProblems(raw, lookupOf([context('shared', 'apim'), raw])).map((p) => p.path)).toEqual([
      'spec.flows[0].request[0].policy',
    ]);
    const legacy = api('team-a', 'old', { id: 'other-id' }, { id: 'old-id' });
    expect(identityProblems(legacy, lookupOf([context('shared', 'apim'), legacy])).map((p) => p.message)).toEqual([
      'APIM knows this object as old-id: spec.id may only repeat that id',
    ]);
  });

  it('refuse the younger of two objects whose namespaces and names make the same HRID', () => {
    const older = api('a-b', 'c', {}, undefined, '2026-01-01T00:00:00Z');
    const younger = api('a', 'b-c', {}, undefined, '2026-02-01T00:00:00Z');
    const lookup = lookupOf([context('shared', 'apim'), older, younger]);
    expect(identityProblems(older, lookup)).toEqual([]);
    expect(identityProblems(younger, lookup)).toEqual([
      {
        path: 'metadata.name',
        message:
          "the HRID a-b-c that this object's namespace and name make is already that of ApiV4Definition a-b/c in the same APIM environment: rename one of them",
      },
    ]);
  });

  it('refuse the younger of two pages of one portal whose namespaces and names make the same HRID, however the portal is named', () => {
    const page = (namespace: string, name: string, portalRef: Record<string, string>, created: string) => ({
      kind: 'Documentation',
      metadata: { namespace, name, uid: `${namespace}/${name}`, creationTimestamp: created },
      spec: { portalRef } as ClaimingObject['spec'],
    });
    const older = page('a-b', 'c', { name: 'hub', namespace: 'portals' }, '2026-01-01T00:00:00Z');
    const younger = page('a', 'b-c', { name: 'hub', namespace: 'portals', kind: 'portal' }, '2026-02-01T00:00:00Z');
    const elsewhere = page('a', 'b-c', { name: 'other', namespace: 'portals' }, '2026-02-01T00:00:00Z');
    const lookup = lookupOf([older, younger]);
    expect(identityProblems(older, lookup)).toEqual([]);
    expect(identityProblems(younger, lookup).map((p) => p.path)).toEqual(['metadata.name']);
    // Under another portal, the same HRID names another page.
    expect(identityProblems(elsewhere, lookupOf([older, elsewhere]))).toEqual([]);
  });

  it('refuse a spec.id that would move an object APIM knows by HRID', () => {
    const moved = { ...teamB, spec: { ...teamB.spec, id: 'other-id' } };
    expect(identityProblems(moved, lookupOf([context('shared', 'apim'), moved])).map((p) => p.path)).toEqual([
      'spec.id',
    ]);
    const same = { ...teamB, spec: { ...teamB.spec, id: 'b-id' } };
    expect(identityProblems(same, lookupOf([context('shared', 'apim'), same]))).toEqual([]);
  });

  it('refuse plan and page HRIDs other than those their keys make', () => {
    const odd = api('team-a', 'orders', {
      plans: { 'gold.v2': { hrid: 'gold.v2' } },
      pages: { docs: { hrid: 'docs' } },
    });
    expect(identityProblems(odd, lookupOf([context('shared', 'apim'), odd]))).toEqual([
      {
        path: 'spec.plans.gold.v2.hrid',
        message: 'must be gold-v2, the key with each space and dot made a dash, or be left out',
      },
    ]);
  });
});

describe('taking an APIM object over by spec.id', () => {
  it('is refused when the object there is one another object manages by HRID, even before it is synchronised', () => {
    const pending = api('team-b', 'pending');
    const taker = api('evil', 'x', { id: 'stored-id' });
    const lookup = lookupOf([context('shared', 'apim'), pending, taker]);
    expect(() => assertFreeToTakeOver(taker, { hrid: 'team-b-pending' }, lookup)).toThrow(
      'spec.id: stored-id is the APIM object known as team-b-pending, which ApiV4Definition team-b/pending manages',
    );
    // Objects no one manages (made in the console, or by the taker's own name) are free.
    expect(() => assertFreeToTakeOver(taker, { hrid: 'made-in-the-console' }, lookup)).not.toThrow();
    expect(() => assertFreeToTakeOver(taker, { hrid: 'evil-x' }, lookup)).not.toThrow();
    expect(() => assertFreeToTakeOver(taker, undefined, lookup)).not.toThrow();
  });
});
