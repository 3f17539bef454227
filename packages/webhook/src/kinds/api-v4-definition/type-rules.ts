// Which phases and features a v4 API may use depends on its type: native APIs have connections,
// not requests.
import type { ApiV4Definition, V4Flow } from '@gko/api';
import { error, type Finding } from '../../rules/rule.ts';

function flowsWithPaths(spec: ApiV4Definition['spec']): { flow: V4Flow; path: string }[] {
  return [
    ...(spec.flows ?? []).map((flow, i) => ({ flow, path: `spec.flows[${i}]` })),
    ...Object.entries(spec.plans ?? {}).flatMap(([key, plan]) =>
      (plan.flows ?? []).map((flow, i) => ({ flow, path: `spec.plans.${key}.flows[${i}]` })),
    ),
  ];
}

export function typeFindings(spec: ApiV4Definition['spec']): Finding[] {
  const native = spec.type === 'NATIVE';
  const forbidden = native ? (['request', 'response'] as const) : (['connect', 'interact'] as const);
  const message = native
    ? 'a NATIVE API has no request or response phase: use connect, interact, publish or subscribe'
    : 'connect and interact phases only exist in NATIVE APIs';
  const findings = flowsWithPaths(spec).flatMap(({ flow, path }) =>
    forbidden.filter((phase) => (flow[phase]?.length ?? 0) > 0).map((phase) => error(`${path}.${phase}`, message)),
  );
  if (native) {
    spec.endpointGroups.forEach((group, i) => {
      if (group.services)
        findings.push(
          error(`spec.endpointGroups[${i}].services`, 'endpoint group services are not supported by NATIVE APIs'),
        );
    });
    if (spec.flowExecution)
      findings.push(error('spec.flowExecution', 'flow execution settings are not supported by NATIVE APIs'));
    if (spec.responseTemplates)
      findings.push(error('spec.responseTemplates', 'response templates are not supported by NATIVE APIs'));
  }
  return findings;
}
