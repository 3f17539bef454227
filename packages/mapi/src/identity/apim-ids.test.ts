import { describe, expect, it } from 'vitest';
import {
  apiV4Ids,
  applicationIds,
  dictionaryIds,
  groupIds,
  localApiV4Id,
  sharedPolicyGroupIds,
  subscriptionIds,
} from './apim-ids.ts';

const metadata = { namespace: 'team-a', name: 'orders' };
const managed = [{ type: 'AutomationAPIManaged', status: 'True' }];
const byHrid = { hrid: 'team-a-orders', hridContainsUUID: false };
const byUuid = (id: string) => ({ hrid: id, hridContainsUUID: true });

describe('how APIM knows a v4 API', () => {
  it('by HRID when new or marked as synchronised by HRID, whatever its spec says', () => {
    expect(apiV4Ids({ metadata, spec: {} })).toEqual(byHrid);
    expect(apiV4Ids({ metadata, spec: { id: 'spec-id' }, status: { id: 'apim-id', conditions: managed } })).toEqual(
      byHrid,
    );
  });

  it('by UUID when the spec names an id, or an unmarked status records one', () => {
    expect(apiV4Ids({ metadata, spec: { id: 'spec-id' } })).toEqual(byUuid('spec-id'));
    expect(apiV4Ids({ metadata, spec: { id: 'spec-id' }, status: { id: 'old-id' } })).toEqual(byUuid('spec-id'));
    expect(apiV4Ids({ metadata, spec: {}, status: { id: 'old-id' } })).toEqual(byUuid('old-id'));
  });

  it('by HRID when the only id is the one a local deployment derives from the HRID', () => {
    expect(apiV4Ids({ metadata, spec: {}, status: { id: localApiV4Id(metadata) } })).toEqual(byHrid);
  });
});

describe('how APIM knows other kinds', () => {
  it('applications and groups: by the id APIM answered, else the spec names, until marked', () => {
    for (const ids of [applicationIds, groupIds]) {
      expect(ids({ metadata, spec: {} })).toEqual(byHrid);
      expect(ids({ metadata, spec: { id: 'spec-id' } })).toEqual(byUuid('spec-id'));
      expect(ids({ metadata, spec: { id: 'spec-id' }, status: { id: 'apim-id' } })).toEqual(byUuid('apim-id'));
      expect(ids({ metadata, spec: { id: 'spec-id' }, status: { id: 'apim-id', conditions: managed } })).toEqual(
        byHrid,
      );
    }
  });

  it('shared policy groups by their crossId, subscriptions by their id, dictionaries always by HRID', () => {
    expect(sharedPolicyGroupIds({ metadata, spec: {}, status: { id: 'i', crossId: 'c' } })).toEqual(byUuid('c'));
    expect(sharedPolicyGroupIds({ metadata, spec: {}, status: { crossId: 'c', conditions: managed } })).toEqual(byHrid);
    expect(subscriptionIds({ metadata, status: { id: 'sub-id' } })).toEqual(byUuid('sub-id'));
    expect(subscriptionIds({ metadata })).toEqual(byHrid);
    expect(dictionaryIds({ metadata })).toEqual(byHrid);
  });
});
