import { describe, expect, it } from 'vitest';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { object } from '../test-support.ts';
import { handleAdmission, verdictOf } from './handle.ts';
import type { AdmissionRequest } from './review.ts';

const request = (over: Partial<AdmissionRequest>): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'Group' },
  operation: 'CREATE',
  name: 'ops',
  namespace: 'team-a',
  object: undefined,
  oldObject: undefined,
  dryRun: false,
  user: 'alice',
  ...over,
});

describe('admission verdicts', () => {
  it('name the object and every field at fault in one denial, and keep warnings', () => {
    const verdict = verdictOf('ApiV4Definition', 'team-a', 'orders', [
      { severity: 'error', path: 'spec.flows[0].request', message: 'no request phase' },
      { severity: 'warning', path: 'spec.groupRefs[0]', message: 'group missing' },
      { severity: 'error', path: 'spec.plans', message: 'needs a plan' },
    ]);
    expect(verdict).toEqual({
      allowed: false,
      code: 403,
      message:
        'ApiV4Definition team-a/orders has 2 problems:\n* spec.flows[0].request: no request phase\n* spec.plans: needs a plan',
      warnings: ['spec.groupRefs[0]: group missing'],
    });
  });

  it('allow with warnings when nothing is wrong', () => {
    expect(verdictOf('Group', 'a', 'b', [{ severity: 'warning', path: 'spec', message: 'w' }])).toEqual({
      allowed: true,
      warnings: ['spec: w'],
    });
    expect(verdictOf('Group', 'a', 'b', [])).toEqual({ allowed: true });
  });
});

describe('handling a request', () => {
  it('answers a mutation with the patch that applies it (lists are replaced whole)', async () => {
    const app = object('Application', 'shop', {
      name: 'Shop',
      description: 'd',
      settings: { tls: { clientCertificates: [{ content: 'x' }] } },
    });
    const verdict = await handleAdmission(
      'mutate',
      request({ kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'Application' }, object: app as never }),
      new MemoryLookups(),
    );
    expect(verdict).toEqual({
      allowed: true,
      patch: [
        { op: 'replace', path: '/spec/settings/tls/clientCertificates', value: [{ content: 'x', name: 'Shop-0' }] },
      ],
    });
  });

  it('lets malformed objects through the mutation unchanged, for the schema check that follows to refuse them', async () => {
    const malformed = [
      object('Application', 'bare', { name: 'Bare', description: 'd' }),
      object('Application', 'odd', { name: 'Odd', description: 'd', settings: { tls: { clientCertificates: 'x' } } }),
      { ...object('ManagementContext', 'bare', {}), spec: undefined },
      object('ManagementContext', 'odd', { cloud: 'token' }),
    ];
    for (const value of malformed) {
      const kind = { group: 'gravitee.io', version: 'v1alpha1', kind: value.kind ?? '' };
      expect(await handleAdmission('mutate', request({ kind, object: value as never }), new MemoryLookups())).toEqual({
        allowed: true,
      });
    }
  });

  it('lets a guarded delete through, with a warning, when the whole namespace is being deleted', async () => {
    const contextObject = object('ManagementContext', 'apim', { baseUrl: 'http://apim' });
    const user = { ...object('ApiV4Definition', 'orders', { contextRef: { name: 'apim' } }) };
    const deleting = (terminating: string[]) =>
      handleAdmission(
        'validate',
        request({
          kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ManagementContext' },
          operation: 'DELETE',
          name: 'apim',
          oldObject: contextObject as never,
          object: undefined,
        }),
        new MemoryLookups({ objects: [contextObject, user], terminating }),
      );
    expect(await deleting([])).toMatchObject({ allowed: false });
    const verdict = await deleting([contextObject.metadata.namespace!]);
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings?.[0]).toContain('is being deleted');
  });

  it('lets a guarded delete through, with a warning, when the deletion policy of the object is orphan', async () => {
    const portal = object('Portal', 'hub', { contextRef: { name: 'apim' }, name: 'Hub' });
    const link = object('PortalLink', 'docs', { portalRef: { name: 'hub' }, name: 'Docs', href: 'https://docs' });
    const deleting = (annotations: Record<string, string>) =>
      handleAdmission(
        'validate',
        request({
          kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'Portal' },
          operation: 'DELETE',
          name: 'hub',
          oldObject: { ...portal, metadata: { ...portal.metadata, annotations } },
          object: undefined,
        }),
        new MemoryLookups({ objects: [portal, link] }),
      );
    expect(await deleting({})).toMatchObject({ allowed: false });
    const verdict = await deleting({ 'gravitee.io/deletion-policy': 'orphan' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings?.[0]).toContain(
      'deletion policy orphan: what it made in APIM stays, although still used by PortalLink team-a/docs',
    );
  });

  it('admits an update of the policy annotations alone although the rest would be refused (pausing during an incident)', async () => {
    const group = object('Group', 'ops', { contextRef: { name: 'gone' }, name: 'ops', members: [] });
    const update = (annotations: Record<string, string>, spec = group.spec) =>
      handleAdmission(
        'validate',
        request({
          operation: 'UPDATE',
          oldObject: group as never,
          object: { ...group, spec, metadata: { ...group.metadata, annotations } },
        }),
        new MemoryLookups({ objects: [] }),
      );
    expect(await update({ 'gravitee.io/reconcile': 'paused' })).toEqual({ allowed: true });
    expect((await update({ 'gravitee.io/reconcile': 'stop' })).allowed).toBe(false);
    // Anything else changing with it is checked as usual.
    expect((await update({ 'gravitee.io/reconcile': 'paused', team: 'ops' })).allowed).toBe(false);
  });

  it('refuses unknown values of the management policy annotations, naming the annotation', async () => {
    const group = object('Group', 'ops', { contextRef: { name: 'apim' }, name: 'ops', members: [] });
    const verdict = await handleAdmission(
      'validate',
      request({
        object: {
          ...group,
          metadata: { ...group.metadata, annotations: { 'gravitee.io/reconcile': 'pause' } },
        },
      }),
      new MemoryLookups({ objects: [object('ManagementContext', 'apim', { baseUrl: 'http://127.0.0.1:1' })] }),
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.message).toContain(
      'metadata.annotations[gravitee.io/reconcile]: "pause" is not a value of gravitee.io/reconcile: use paused or observe, or leave it out',
    );
  });

  it('refuses a reference to an object of another namespace that does not let this namespace refer to it', async () => {
    const guarded = {
      ...object('ManagementContext', 'apim', { baseUrl: 'http://apim' }),
      metadata: { name: 'apim', namespace: 'platform', annotations: { 'gravitee.io/allow-reads-from': 'team-b' } },
    };
    const group = object('Group', 'ops', {
      contextRef: { name: 'apim', namespace: 'platform' },
      name: 'Ops',
      members: [],
    });
    const verdict = await handleAdmission(
      'validate',
      request({ object: group as never }),
      new MemoryLookups({ objects: [guarded] }),
    );
    expect(verdict).toMatchObject({ allowed: false });
    expect(verdict.message).toContain(
      'ManagementContext platform/apim does not let objects of namespace team-a refer to it',
    );
    // Nothing else was checked through that context: no dry run, hence no "APIM could not check it".
    expect(verdict.warnings).toBeUndefined();
  });

  it('denies an object nested deeper than any definition needs, naming where, instead of exhausting the stack', async () => {
    const deep = JSON.parse(`${'{"n":'.repeat(20_000)}0${'}'.repeat(20_000)}`) as unknown;
    const group = object('Group', 'ops', { name: 'ops', members: [{ source: 'memory', sourceId: 'a', deep }] });
    const verdict = await handleAdmission('validate', request({ object: group as never }), new MemoryLookups());
    expect(verdict).toEqual({
      allowed: false,
      code: 403,
      message: 'Group team-a/ops: spec.members[0].deep.n.n...: nested more than 100 levels deep',
    });
  });

  it('refuses kinds it does not handle and requests without an object', async () => {
    expect(
      await handleAdmission(
        'validate',
        request({ kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }),
        new MemoryLookups(),
      ),
    ).toMatchObject({ allowed: false, code: 400 });
    await expect(handleAdmission('validate', request({}), new MemoryLookups())).rejects.toThrow(/carries no object/);
  });

  it('validates deletions on the object being deleted', async () => {
    const ctx = object('ManagementContext', 'apim', {
      baseUrl: 'http://x',
      organizationId: 'o',
      environmentId: 'e',
      auth: { bearerToken: 't' },
    });
    const user = object('Group', 'ops', { contextRef: { name: 'apim' }, name: 'ops', members: [] });
    const verdict = await handleAdmission(
      'validate',
      request({
        kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ManagementContext' },
        operation: 'DELETE',
        name: 'apim',
        oldObject: ctx as never,
      }),
      new MemoryLookups({ objects: [user] }),
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.message).toContain('ManagementContext team-a/apim: still used by Group team-a/ops');
  });

  it('lets through updates that change neither spec nor annotations, and updates of objects being deleted', async () => {
    // Its API is gone and its end date has passed: a change of its spec would be refused.
    const expired = object('Subscription', 'old', {
      api: { name: 'gone' },
      application: { name: 'gone' },
      plan: 'keys',
      endingAt: '2020-01-01T00:00:00Z',
    });
    const kind = { group: 'gravitee.io', version: 'v1alpha1', kind: 'Subscription' };
    const update = (oldObject: unknown, newObject: unknown) =>
      handleAdmission(
        'validate',
        request({ kind, operation: 'UPDATE', name: 'old', object: newObject as never, oldObject: oldObject as never }),
        new MemoryLookups(),
      );
    const labelled = { ...expired, metadata: { ...expired.metadata, labels: { team: 'a' } } };
    expect(await update(expired, labelled)).toEqual({ allowed: true });
    const finalizing = { ...expired, metadata: { ...expired.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(await update(expired, finalizing)).toEqual({ allowed: true });
    const replanned = { ...expired, spec: { ...(expired.spec as object), plan: 'gold' } };
    expect(await update(expired, replanned)).toMatchObject({ allowed: false, code: 403 });
    const annotated = { ...expired, metadata: { ...expired.metadata, annotations: { note: 'x' } } };
    expect(await update(expired, annotated)).toMatchObject({ allowed: false, code: 403 });
  });
});
