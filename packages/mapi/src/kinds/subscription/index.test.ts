import { describe, expect, it } from 'vitest';
import { subscriptionStatus, toSubscriptionSpec } from './index.ts';

describe('a Subscription as an Automation API request', () => {
  it('refers to the application and plan by HRID and carries chosen API keys', () => {
    const body = toSubscriptionSpec(
      {
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'Subscription',
        metadata: { name: 'shop-orders', namespace: 'team-a' },
        spec: {
          api: { name: 'orders' },
          application: { name: 'shop' },
          plan: 'Gold Plan',
          apiKeys: [{ key: 'k'.repeat(32) }],
          endingAt: '2030-01-01T00:00:00Z',
        },
      },
      { applicationHrid: 'team-a-shop', planHrid: 'Gold-Plan' },
    );
    expect(body).toEqual({
      hrid: 'team-a-shop-orders',
      applicationHrid: 'team-a-shop',
      planHrid: 'Gold-Plan',
      endingAt: '2030-01-01T00:00:00Z',
      apiKeys: [{ key: 'k'.repeat(32) }],
    });
  });

  it('records when the subscription started and ends', () => {
    expect(
      subscriptionStatus({
        hrid: 'h',
        applicationHrid: 'a',
        planHrid: 'p',
        id: 's-1',
        startingAt: '2026-01-01T00:00:00Z',
        endingAt: '2030-01-01T00:00:00Z',
      }),
    ).toEqual({
      id: 's-1',
      startedAt: '2026-01-01T00:00:00Z',
      endingAt: '2030-01-01T00:00:00Z',
    });
  });
});
