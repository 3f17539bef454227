import { describe, expect, it } from 'vitest';
import { loadDocument } from './documents.ts';
import { createSchemaValidator } from './schema-validator.ts';

const automation = createSchemaValidator(loadDocument('automation'));
const strict = createSchemaValidator(loadDocument('automation'), { strict: true });

const api = {
  hrid: 'team-a-orders',
  name: 'Orders',
  version: '1.0',
  type: 'PROXY',
  lifecycleState: 'UNPUBLISHED',
  listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy' }] }],
  endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
};

describe('validation against an OpenAPI document', () => {
  it('accepts a valid request body', () => {
    expect(automation.validate('ApiV4Spec', api)).toEqual([]);
  });

  it('names each problem by its place in the value', () => {
    const problems = automation.validate('ApiV4Spec', {
      ...api,
      hrid: 'no spaces allowed',
      plans: [{ hrid: 'free', name: 'Free' }],
    });
    expect(problems.map((p) => p.location).sort()).toEqual([
      'hrid',
      'plans[0].mode',
      'plans[0].status',
      'plans[0].type',
      'plans[0].validation',
    ]);
  });

  it('applies the schema a discriminator selects, and only that one', () => {
    // A KAFKA listener needs a host; an HTTP one with paths must not be read as KAFKA.
    expect(
      automation.validate('ApiV4Spec', { ...api, listeners: [{ type: 'KAFKA', port: 9092 }] }).map((p) => p.location),
    ).toEqual(['listeners[0].host']);
    expect(automation.validate('ApiV4Spec', { ...api, listeners: [{ type: 'SMTP' }] }).map((p) => p.location)).toEqual([
      'listeners[0].type',
    ]);
    const selector = { type: 'HTTP', path: '/', pathOperator: 'STARTS_WITH' };
    expect(automation.validate('ApiV4Spec', { ...api, flows: [{ enabled: true, selectors: [selector] }] })).toEqual([]);
    expect(
      automation
        .validate('ApiV4Spec', { ...api, flows: [{ enabled: true, selectors: [{ type: 'HTTP' }] }] })
        .map((p) => p.location)
        .sort(),
    ).toEqual(['flows[0].selectors[0].path', 'flows[0].selectors[0].pathOperator']);
  });

  it('in strict mode, refuses fields the document does not declare, through compositions', () => {
    expect(automation.validate('ApiV4Spec', { ...api, colour: 'red' })).toEqual([]);
    expect(strict.validate('ApiV4Spec', { ...api, colour: 'red' })).toEqual([
      { location: 'colour', message: 'is not a field of this object' },
    ]);
    expect(strict.validate('ApiV4Spec', api)).toEqual([]);
  });

  it('understands nullable in OpenAPI 3.0 documents', () => {
    const v1 = createSchemaValidator(loadDocument('management-v1'));
    expect(v1.validate('ApiV2Plan', { name: 'Free', security: 'KEY_LESS' })).toEqual([]);
    expect(v1.validate('ApiV2Plan', { name: 'Free', security: 'NONE' }).map((p) => p.location)).toEqual(['security']);
  });

  it('refuses to validate against a schema the document does not have', () => {
    expect(() => automation.validate('Nope', {})).toThrow(/no schema Nope/);
  });
});
