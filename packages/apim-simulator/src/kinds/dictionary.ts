import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, objectId, withErrors } from './findings.ts';

export function importDictionary(
  env: EnvironmentState,
  body: Automation.DictionarySpec,
): { state: Automation.DictionaryState; findings: Findings } {
  const findings = new Findings();
  if (body.type === 'MANUAL' && !body.manual) findings.severe.push('a MANUAL dictionary needs manual properties');
  if (body.type === 'DYNAMIC' && !body.dynamic)
    findings.severe.push('a DYNAMIC dictionary needs a provider and a trigger');
  const state: Automation.DictionaryState = {
    ...body,
    id: objectId(env, 'dictionary', body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
  };
  return { state: withErrors(state, findings), findings };
}
