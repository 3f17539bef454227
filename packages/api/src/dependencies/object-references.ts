// What an object refers to, kind by kind, as plain data: the base of the indexes that find an
// object's users without scanning (delete guards, re-synchronising the users of a changed object).
import { templateReferences } from '../templating/templates.ts';
import { resolveReference, type ObjectReference } from '../references.ts';
import type { ApiV4Definition, FlowStep, V4Flow } from '../generated/types.ts';

/** What a reference points to; kind is one of ours, or Secret / ConfigMap. */
export interface Dependency {
  kind: string;
  namespace: string;
  name: string;
}

export const dependencyKey = (d: Dependency) => `${d.kind}/${d.namespace}/${d.name}`;

export interface StepAt {
  path: string;
  phase: string;
  step: FlowStep;
}

/** The value if it is a list: admission sees objects before their schema is checked. */
const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

const PHASES = ['request', 'response', 'subscribe', 'publish', 'connect', 'interact'] as const;

/** Every step of every flow of a v4 API (API flows, then plan flows), with its path and phase. */
export function v4Steps(spec: ApiV4Definition['spec']): StepAt[] {
  const inFlows = (flows: V4Flow[] | undefined, base: string) =>
    list(flows).flatMap((flow, f) =>
      PHASES.flatMap((phase) =>
        list(flow?.[phase]).map((step, s) => ({ path: `${base}[${f}].${phase}[${s}]`, phase, step })),
      ),
    );
  return [
    ...inFlows(spec.flows, 'spec.flows'),
    ...Object.entries(typeof spec.plans === 'object' && spec.plans !== null ? spec.plans : {}).flatMap(
      ([planKey, plan]) => inFlows(plan?.flows, `spec.plans.${planKey}.flows`),
    ),
  ];
}

interface AnyObject {
  kind?: string;
  metadata?: { namespace?: string };
  /** Anything: admission sees objects before their schema is checked. */
  spec?: unknown;
}

type Spec = Record<string, unknown>;
const refs = (value: unknown): ObjectReference[] =>
  (Array.isArray(value) ? value : [value]).filter(
    (r): r is ObjectReference => !!r && typeof r === 'object' && typeof (r as ObjectReference).name === 'string',
  );

/** References written in the spec, per kind, before namespaces are resolved. */
function written(kind: string | undefined, spec: Spec): { kind: string; ref: ObjectReference }[] {
  const of = (target: string, value: unknown) => refs(value).map((ref) => ({ kind: target, ref }));
  const out = of('ManagementContext', spec['contextRef']);
  const api = () =>
    out.push(
      ...of(
        'ApiResource',
        list(spec['resources'] as { ref?: unknown }[] | undefined).map((r) => r?.ref),
      ),
      ...of('Notification', spec['notificationsRefs']),
      ...of('Group', spec['groupRefs']),
    );
  switch (kind) {
    case 'ApiV4Definition':
      api();
      out.push(
        ...of(
          'SharedPolicyGroup',
          v4Steps(spec as ApiV4Definition['spec']).map(({ step }) => (step as FlowStep | null)?.sharedPolicyGroupRef),
        ),
      );
      break;
    case 'ApiDefinition':
      api();
      break;
    case 'ManagementContext': {
      const auth = spec['auth'] as { secretRef?: unknown } | undefined;
      const cloud = spec['cloud'] as { secretRef?: unknown } | undefined;
      out.push(...of('Secret', auth?.secretRef), ...of('Secret', cloud?.secretRef));
      break;
    }
    case 'Subscription': {
      const api = spec['api'] as ObjectReference | undefined;
      out.push(...of(api?.kind || 'ApiV4Definition', api), ...of('Application', spec['application']));
      break;
    }
    case 'Application': {
      const tls = (spec['settings'] as { tls?: { clientCertificates?: { ref?: { kind?: string } }[] } } | undefined)
        ?.tls;
      for (const certificate of list(tls?.clientCertificates))
        out.push(...of(certificate?.ref?.kind === 'configmaps' ? 'ConfigMap' : 'Secret', certificate?.ref));
      break;
    }
    case 'Notification':
      out.push(...of('Group', (spec['console'] as { groupRefs?: unknown } | undefined)?.groupRefs));
      break;
    case 'PortalLink':
      out.push(...of('Portal', spec['portalRef']));
      break;
    case 'PortalListing':
      out.push(
        ...of('Portal', spec['portalRef']),
        ...of(
          'ApiV4Definition',
          list(spec['apis'] as { ref?: unknown }[] | undefined).map((entry) => entry?.ref),
        ),
      );
      break;
    case 'Documentation':
      out.push(...of('Portal', spec['portalRef']), ...of('ApiV4Definition', spec['apiRef']));
      break;
  }
  return out;
}

/**
 * Everything the object depends on: the objects its spec refers to (namespaces resolved) and the
 * Secrets and ConfigMaps its templates read (always in its own namespace). No duplicates.
 */
export function objectDependencies(object: AnyObject): Dependency[] {
  return collect(object, true);
}

/**
 * The references written in the spec only (namespaces resolved), without the Secrets and ConfigMaps
 * its templates read, which are always of its own namespace: cheaper, as the spec's strings are not
 * searched for template markers.
 */
export function objectReferences(object: AnyObject): Dependency[] {
  return collect(object, false);
}

function collect(object: AnyObject, withTemplates: boolean): Dependency[] {
  const namespace = object.metadata?.namespace ?? 'default';
  const spec = (typeof object.spec === 'object' && object.spec !== null ? object.spec : {}) as Spec;
  const found = new Map<string, Dependency>();
  const add = (d: Dependency) => found.set(dependencyKey(d), d);
  for (const { kind, ref } of written(object.kind, spec)) {
    const resolved = resolveReference(ref, namespace);
    add({ kind, namespace: resolved.namespace, name: resolved.name });
  }
  if (withTemplates)
    for (const t of templateReferences(spec).references)
      add({ kind: t.source === 'secret' ? 'Secret' : 'ConfigMap', namespace, name: t.name });
  return [...found.values()];
}

/** The name of the index of every kind by what its objects refer to, shared by all its readers. */
export const DEPENDS_ON_INDEX = 'dependsOn';

/** The values of that index for an object: the key of each of its dependencies. */
export function dependsOnValues(object: unknown): string[] {
  return objectDependencies(object as AnyObject).map(dependencyKey);
}
