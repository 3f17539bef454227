import { describe, expect, it } from 'vitest';
import { keyHrid, objectHrid } from './hrid.ts';
import { hashUuid } from './uuid.ts';

describe('HRIDs', () => {
  it('of objects are namespace-name, as written', () => {
    expect(objectHrid({ namespace: 'team-a', name: 'orders' })).toBe('team-a-orders');
    expect(objectHrid({ namespace: 'team-a', name: 'orders.v2' })).toBe('team-a-orders.v2');
  });

  it('of map keys replace each space and each dot, one for one, trimming and collapsing nothing', () => {
    expect(keyHrid('Key Less')).toBe('Key-Less');
    expect(keyHrid('gold.v2')).toBe('gold-v2');
    expect(keyHrid(' a..b  c ')).toBe('-a--b--c-');
    expect(keyHrid('free')).toBe('free');
  });
});

describe('deterministic UUIDs', () => {
  // Ids upstream's operator gave in recorded runs (XXH3-128 of the parts, high half first).
  it('are those upstream derives from the same parts', () => {
    expect(hashUuid('dfx-18-gko/basic-api-example')).toBe('be875d58-0206-f603-fba9-803172bfcbdb');
    expect(hashUuid('dfx025827-29-api-v4')).toBe('84a9d7d3-7761-91d0-cd49-dacdbeda9357');
    expect(hashUuid('84a9d7d3-7761-91d0-cd49-dacdbeda9357', 'KeyLess')).toBe('bc6a8351-36c7-8ff3-c10c-dfd99d604679');
  });

  it('concatenate their parts with nothing between them', () => {
    expect(hashUuid('a', 'bc')).toBe(hashUuid('ab', 'c'));
    expect(hashUuid('team-a/orders')).not.toBe(hashUuid('team-a/order'));
  });
});
