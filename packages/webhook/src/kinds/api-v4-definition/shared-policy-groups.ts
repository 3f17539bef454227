// A step may run a shared policy group: it must exist, fit the API's type, and run in the phase of
// the step.
import { resolveReference, v4Steps, type ApiV4Definition, type SharedPolicyGroup } from '@gko/api';
import { error, missingObject, type Finding, type Lookups } from '../../rules/rule.ts';

export function sharedPolicyGroupFindings(api: ApiV4Definition, lookups: Lookups): Finding[] {
  const namespace = api.metadata.namespace ?? 'default';
  return v4Steps(api.spec).flatMap(({ path, phase, step }) => {
    if (!step.sharedPolicyGroupRef) return [];
    const at = `${path}.sharedPolicyGroupRef`;
    const { namespace: ns, name } = resolveReference(step.sharedPolicyGroupRef, namespace);
    const group = lookups.get<SharedPolicyGroup>('SharedPolicyGroup', ns, name);
    if (!group) return [missingObject(at, { kind: 'SharedPolicyGroup', namespace: ns, name })];
    if (phase === 'connect' || phase === 'interact')
      return [
        error(at, `SharedPolicyGroup ${ns}/${name} cannot run in the ${phase} phase: no shared policy group can`),
      ];
    const findings: Finding[] = [];
    if (group.spec.phase !== phase.toUpperCase())
      findings.push(
        error(at, `SharedPolicyGroup ${ns}/${name} runs in the ${group.spec.phase} phase, not ${phase.toUpperCase()}`),
      );
    if ((api.spec.type === 'PROXY' || api.spec.type === 'MESSAGE') && group.spec.apiType !== api.spec.type) {
      findings.push(
        error(
          at,
          `SharedPolicyGroup ${ns}/${name} is for ${group.spec.apiType} APIs, and this API is ${api.spec.type}`,
        ),
      );
    }
    return findings;
  });
}
