import type { Dictionary, DictionaryStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { dictionaryIds } from '../../identity/apim-ids.ts';
import { baseStatus } from '../status.ts';

export function toDictionarySpec(dictionary: Dictionary): A.DictionarySpec {
  const spec = dictionary.spec;
  const provider = spec.dynamic?.provider;
  return compact({
    hrid: dictionaryIds(dictionary).hrid,
    name: spec.name,
    description: spec.description,
    type: spec.type,
    deployed: spec.deployed,
    manual: spec.manual ? { properties: spec.manual.properties } : undefined,
    dynamic:
      spec.dynamic && provider
        ? {
            provider: compact({
              type: provider.type,
              url: provider.url,
              method: provider.method,
              specification: provider.specification,
              headers: provider.headers,
              body: provider.body,
              useSystemProxy: provider.useSystemProxy,
            }),
            trigger: { rate: spec.dynamic.trigger.rate, unit: spec.dynamic.trigger.unit },
          }
        : undefined,
  });
}

export function dictionaryStatus(state: A.DictionaryState): DictionaryStatus {
  return baseStatus(state);
}
