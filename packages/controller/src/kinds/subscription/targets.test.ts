import { describe, expect, it } from 'vitest';
import type { Subscription } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ReconcileContext } from '../../reconcile/contract.ts';
import { hashUuid } from '@gko/mapi';
import { installIdentityIndexes } from '../../sync/identity.ts';
import { FakeCache } from '../../test-support.ts';
import { subscriptionTargets } from './targets.ts';

const ns = 'shop';
const object = (kind: string, name: string, spec: object, status?: object) =>
  ({ kind, metadata: { namespace: ns, name }, spec, ...(status ? { status } : {}) }) as KubernetesObject;
const managed = [{ type: 'AutomationAPIManaged', status: 'True', reason: 'AutomationAPIManaged', message: '' }];

const apimContext = object('ManagementContext', 'apim', {
  baseUrl: 'http://apim',
  organizationId: 'DEFAULT',
  environmentId: 'DEFAULT',
});
const v4 = (status?: object) =>
  object('ApiV4Definition', 'orders', { contextRef: { name: 'apim' }, plans: { 'gold keys': {} } }, status);
const app = (status?: object, spec: object = { contextRef: { name: 'apim' } }) =>
  object('Application', 'buyer', spec, status);
const subscription = (api: object = { name: 'orders' }, plan = 'gold keys') =>
  ({
    kind: 'Subscription',
    metadata: { namespace: ns, name: 'sub' },
    spec: { api, application: { name: 'buyer' }, plan },
  }) as Subscription;

function contextOf(objects: KubernetesObject[]): ReconcileContext {
  const cache = new FakeCache(objects);
  installIdentityIndexes(cache);
  return { cache, settings: { templating: true, driftPeriodMs: 0 } } as unknown as ReconcileContext;
}
const inApim = { id: 'api-id', conditions: managed, plans: { 'gold-keys': 'plan-id' } };

describe('what a subscription points at', () => {
  it('names the API, plan and application by HRID once all three exist in APIM', () => {
    const targets = subscriptionTargets(
      subscription(),
      contextOf([apimContext, v4(inApim), app({ id: 'app-id', conditions: managed })]),
    );
    expect(targets).toMatchObject({
      apiHrid: 'shop-orders',
      applicationHrid: 'shop-buyer',
      planHrid: 'gold-keys',
      apimIds: { api: 'api-id', plan: 'plan-id', application: 'app-id' },
      flags: {},
    });
  });

  it('waits, naming what is missing, while one of them is not there', () => {
    const waiting = (objects: KubernetesObject[], sub = subscription()) => {
      try {
        subscriptionTargets(sub, contextOf([apimContext, ...objects]));
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    expect(waiting([app({ id: 'app-id' })])).toBe(
      'MissingReferenceError: spec.api: ApiV4Definition shop/orders does not exist',
    );
    expect(waiting([v4(inApim)])).toBe(
      'MissingReferenceError: spec.application: Application shop/buyer does not exist',
    );
    expect(waiting([v4(), app({ id: 'app-id' })])).toBe(
      'PendingReferenceError: spec.api: ApiV4Definition shop/orders is not in APIM yet',
    );
    expect(waiting([v4({ id: 'api-id', conditions: managed, plans: {} }), app({ id: 'app-id' })])).toBe(
      'PendingReferenceError: spec.plan: ApiV4Definition shop/orders has no plan gold keys in APIM yet',
    );
    expect(waiting([v4(inApim), app({ id: 'app-id' })], subscription({ name: 'orders' }, 'silver'))).toBe(
      'MissingReferenceError: spec.plan: ApiV4Definition shop/orders has no plan silver',
    );
    expect(waiting([v4(inApim), app()])).toBe(
      'PendingReferenceError: spec.application: Application shop/buyer is not in APIM yet',
    );
    expect(waiting([v4(inApim), app({ id: 'app-id' }, { contextRef: { name: 'other' } })])).toContain(
      'InvalidSpecError: spec.application: Application shop/buyer is not managed through the ManagementContext of ApiV4Definition shop/orders',
    );
  });

  it('names v2 APIs, and objects created before HRIDs existed, by their UUIDs, and their plans by id', () => {
    // APIM reports v2 plan ids by plan crossId, which upstream derives from the API id and the plan name.
    const v2 = object(
      'ApiDefinition',
      'legacy',
      { contextRef: { name: 'apim' }, plans: [{ name: 'gold keys' }] },
      { id: 'v2-uuid', plans: { x: 'other-plan-id', [hashUuid('v2-uuid/gold keys')]: 'plan-id' } },
    );
    const targets = subscriptionTargets(
      subscription({ name: 'legacy', kind: 'ApiDefinition' }),
      contextOf([apimContext, v2, app({ id: 'old-app-uuid' })]),
    );
    expect(targets).toMatchObject({
      apiHrid: 'v2-uuid',
      applicationHrid: 'old-app-uuid',
      planHrid: 'plan-id',
      flags: { hridContainsApiUUID: true, hridContainsAppUUID: true },
    });
    const legacyV4 = object(
      'ApiV4Definition',
      'old',
      { contextRef: { name: 'apim' }, plans: { 'gold keys': { name: 'Gold' } } },
      { id: 'v4-uuid', plans: { 'gold-keys': 'v4-plan-id' } },
    );
    expect(
      subscriptionTargets(
        subscription({ name: 'old' }),
        contextOf([apimContext, legacyV4, app({ id: 'app-id', conditions: managed })]),
      ),
    ).toMatchObject({ apiHrid: 'v4-uuid', planHrid: 'v4-plan-id', flags: { hridContainsApiUUID: true } });
  });
});
