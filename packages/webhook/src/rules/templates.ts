// Templated values must come from a Secret or ConfigMap of the object's namespace that exists and
// holds the key: otherwise the object could never be synchronised.
import { compileTemplates, templateReferences } from '@gko/api';
import { error, missingObject, type Finding, type Lookups } from './rule.ts';

const KIND = { secret: 'Secret', configmap: 'ConfigMap' } as const;

export function templateFindings(spec: unknown, namespace: string, lookups: Lookups): Finding[] {
  const { references, problems } = templateReferences(spec);
  const findings = problems.map((p) => error(p.path, p.message));
  for (const ref of references) {
    const kind = KIND[ref.source];
    const data = lookups.data(kind, namespace, ref.name, namespace);
    if (!data)
      findings.push(
        missingObject(
          ref.path,
          { kind, namespace, name: ref.name },
          `${kind} ${namespace}/${ref.name}, used in a template, does not exist`,
        ),
      );
    else if (!data[ref.key])
      findings.push(
        error(ref.path, `${kind} ${namespace}/${ref.name}, used in a template, has no value for key ${ref.key}`),
      );
  }
  return findings;
}

/** The spec with its templates replaced by their values (after templateFindings found none missing). */
export function compiledSpec<T>(spec: T, namespace: string, lookups: Lookups): T {
  return compileTemplates(spec, (ref) => lookups.data(KIND[ref.source], namespace, ref.name, namespace)?.[ref.key])
    .value;
}

/** The object as APIM will see it: its spec compiled. */
export function compiled<T extends { spec?: unknown }>(object: T, namespace: string, lookups: Lookups): T {
  return { ...object, spec: compiledSpec(object.spec, namespace, lookups) };
}
