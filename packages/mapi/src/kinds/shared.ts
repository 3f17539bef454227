// Parts of API definitions mapped the same way for every kind that has them.
import type { ApiMetadata, ApiProperty, ApiResourceEntry, Member, PolicyStep } from '@gko/api';
import type * as A from '../generated/automation.ts';
import { compact } from '../compact.ts';
import { resolve, type ApiReferences } from './references.ts';

/**
 * Members as APIM takes them; none declared sends none, so that APIM keeps the members it has (as
 * upstream's operator leaves them), where an empty list would remove them.
 */
export function members(list: Member[] | undefined): A.Member[] | undefined {
  return list?.map((m) => ({ source: m.source, sourceId: m.sourceId, role: m.role ?? 'USER' }));
}

/** APIM needs a name and a format, and refuses empty values. */
export function metadata(list: ApiMetadata[] | undefined): A.Metadata[] {
  return (list ?? []).map((m) =>
    compact({
      key: m.key || undefined,
      name: m.name,
      format: m.format,
      value: m.value || undefined,
      defaultValue: m.defaultValue || undefined,
    }),
  );
}

/** APIM needs a key and a value. */
export function properties(list: ApiProperty[] | undefined): A.Property[] {
  return (list ?? [])
    .filter((p) => p.key)
    .map((p) =>
      compact({
        key: p.key!,
        value: p.value ?? '',
        encrypted: p.encrypted,
        dynamic: p.dynamic,
        encryptable: p.encryptable,
      }),
    );
}

/** Resources defined in the API, and the ApiResource objects it refers to, inlined. */
export function resources(
  list: ApiResourceEntry[] | undefined,
  namespace: string,
  refs: ApiReferences,
): A.ApiResource[] {
  return (list ?? []).map((entry, index) => {
    const spec = entry.ref
      ? resolve(refs.resource, entry.ref, namespace, `spec.resources[${index}].ref`, 'ApiResource')
      : entry;
    return {
      name: spec.name ?? '',
      type: spec.type ?? '',
      configuration: spec.configuration ?? {},
      enabled: spec.enabled ?? true,
    };
  });
}

export function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

/** A policy step; APIM needs the policy and the enabled flag on every step. */
export function policyStep(s: PolicyStep): A.StepV4 {
  return compact({
    name: s.name,
    description: s.description,
    enabled: s.enabled ?? true,
    policy: s.policy ?? '',
    configuration: s.configuration,
    condition: s.condition,
  });
}
