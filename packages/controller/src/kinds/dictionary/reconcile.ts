// A Dictionary is one Automation API object, manual or dynamic; APIM deploys it to gateways or not as
// spec.deployed says. Dictionaries came with the Automation API: they are always known by HRID.
import type { Dictionary } from '@gko/api';
import { dictionaryStatus, toDictionarySpec, dictionaryIds, type Automation } from '@gko/mapi';
import { automationKind, type AutomationObject } from '../../sync/automation-kind.ts';
import { synchronizer } from '../../sync/synchronizer.ts';

export const DICTIONARY_FINALIZER = 'finalizers.gravitee.io/dictionaries';

export const dictionarySync = automationKind<
  Dictionary & AutomationObject,
  Automation.DictionarySpec,
  Automation.DictionaryState
>({
  kind: 'Dictionary',
  finalizer: DICTIONARY_FINALIZER,
  ids: dictionaryIds,
  collection: (client) => client.dictionaries,
  body: ({ object }) => ({ body: toDictionarySpec(object) }),
  status: dictionaryStatus,
});

export const reconcileDictionary = synchronizer(dictionarySync);
