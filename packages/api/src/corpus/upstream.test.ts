// Compatibility with the upstream operator: its CRDs and its examples, when the reference data is
// next to the repository.
import { describe, expect, it } from 'vitest';
import { objectSchema } from '../crd/crd.ts';
import { KINDS } from '../registry.ts';
import type { Schema } from '../schema/index.ts';
import { createValidator } from '../validation/index.ts';
import { UPSTREAM_INVALID_EXAMPLES, upstreamCrds, upstreamExamples, upstreamReferenceDir } from './upstream.ts';

const dir = upstreamReferenceDir();
if (!dir)
  console.warn('upstream reference data (../shared/reference/gko) not found: upstream compatibility tests skipped');

/**
 * Where this operator is deliberately stricter than upstream's schema: fields it requires that
 * upstream only checked in its webhook (or never checked), with the reason.
 */
const STRICTER_REQUIRED: Record<string, string> = {
  'ApiResource.spec.name': 'upstream admission requires it',
  'ApiResource.spec.type': 'upstream admission requires it',
  'ApiResource.spec.configuration': 'upstream admission requires it',
  'Group.spec.contextRef': 'upstream admission requires an existing context',
  'Dictionary.spec.contextRef': 'upstream admission requires an existing context',
  'ApiV4Definition.spec.listeners[].type': 'a listener without a type cannot be deployed',
  'ApiV4Definition.spec.listeners[].paths[].path': 'an HTTP path entry without a path cannot be deployed',
  'ApiV4Definition.spec.listeners[].entrypoints[].type': 'an entrypoint without a type cannot be deployed',
  'Portal.spec.contextRef': 'upstream admission requires it',
};

/** Enumerations this operator adds where upstream's schema took any string. */
const STRICTER_ENUMS: Record<string, string> = {
  'Subscription.spec.api.kind': 'upstream admission only accepts these two kinds',
  'PortalListing.spec.apis[].ref.kind': 'upstream admission only accepts ApiV4Definition',
  'Documentation.spec.apiRef.kind': 'upstream admission only accepts ApiV4Definition',
};

/** Patterns and lengths stricter than upstream's, where APIM refuses what upstream's schema lets through. */
const NAVIGATION_PATH = "APIM refuses empty segments, a trailing '/' and '..'";
const STRICTER_CONSTRAINTS: Record<string, string> = {
  'Portal.spec.navigation[].path': NAVIGATION_PATH,
  'Portal.spec.structure.topNavbar[].path': NAVIGATION_PATH,
  'PortalLink.spec.location': NAVIGATION_PATH,
  'PortalListing.spec.apis[].location': NAVIGATION_PATH,
  'Documentation.spec.location': NAVIGATION_PATH,
  'PortalLink.spec.href': 'APIM refuses a link that is not an absolute URL',
  'PortalLink.spec.name': 'APIM refuses a blank name',
  'Documentation.spec.name': 'APIM refuses a blank name',
};

const STRICTER_BOUNDS = new Set(['minimum', 'maximum']);

interface Difference {
  path: string;
  problem: string;
}

function compare(kind: string, upstream: Schema, ours: Schema | undefined, path: string, out: Difference[]): void {
  if (!ours) {
    out.push({ path, problem: 'missing' });
    return;
  }
  const upstreamType = upstream['x-kubernetes-int-or-string'] ? 'int-or-string' : upstream.type;
  const ourType = ours['x-kubernetes-int-or-string'] ? 'int-or-string' : ours.type;
  if (upstreamType !== ourType)
    out.push({ path, problem: `type ${String(ourType)} instead of ${String(upstreamType)}` });
  if (upstream.enum && (!ours.enum || upstream.enum.some((v) => !ours.enum!.includes(v))))
    out.push({ path, problem: 'accepts fewer values' });
  if (!upstream.enum && ours.enum && !STRICTER_ENUMS[path]) out.push({ path, problem: 'adds an enumeration' });
  if (JSON.stringify(upstream.default) !== JSON.stringify(ours.default)) {
    out.push({
      path,
      problem: `default ${JSON.stringify(ours.default)} instead of ${JSON.stringify(upstream.default)}`,
    });
  }
  if (upstream['x-kubernetes-preserve-unknown-fields'] && !ours['x-kubernetes-preserve-unknown-fields'])
    out.push({ path, problem: 'drops unknown fields' });
  // Constraints on status matter little: the operator writes it.
  const constraints =
    path.includes('.status') || STRICTER_CONSTRAINTS[path]
      ? []
      : (['pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'format'] as const);
  for (const key of constraints) {
    if (ours[key] !== undefined && ours[key] !== upstream[key])
      out.push({ path, problem: `${key} ${String(ours[key])} instead of ${String(upstream[key])}` });
  }
  for (const key of STRICTER_BOUNDS) {
    const k = key as 'minimum' | 'maximum';
    if (upstream[k] !== undefined && ours[k] !== upstream[k]) out.push({ path, problem: `${k} differs` });
  }
  for (const name of ours.required ?? []) {
    const field = `${path}.${name}`;
    if (!(upstream.required ?? []).includes(name) && !STRICTER_REQUIRED[field] && upstream.properties?.[name]) {
      out.push({ path: field, problem: 'required here, optional upstream' });
    }
  }
  for (const [name, child] of Object.entries(upstream.properties ?? {}))
    compare(kind, child, ours.properties?.[name], `${path}.${name}`, out);
  if (upstream.items) compare(kind, upstream.items, ours.items, `${path}[]`, out);
  if (upstream.additionalProperties)
    compare(kind, upstream.additionalProperties, ours.additionalProperties, `${path}{}`, out);
}

describe.skipIf(!dir)('compatibility with the upstream CRDs', () => {
  const crds = dir ? upstreamCrds(dir) : new Map();

  it.each(KINDS.map((k) => [k.kind, k] as const))(
    '%s keeps every upstream field, type, enum value and default',
    (_name, kind) => {
      const upstream = crds.get(kind.kind) as
        { spec: { versions: { schema: { openAPIV3Schema: Schema } }[] } } | undefined;
      expect(upstream, `upstream CRD of ${kind.kind}`).toBeDefined();
      const upstreamSchema = upstream!.spec.versions[0]!.schema.openAPIV3Schema;
      const differences: Difference[] = [];
      for (const part of ['spec', 'status'] as const) {
        const theirs = upstreamSchema.properties?.[part];
        if (theirs)
          compare(kind.kind, theirs, objectSchema(kind).properties?.[part], `${kind.kind}.${part}`, differences);
      }
      // Status fields upstream required are written by the operator; leaving them optional loses nothing.
      expect(differences.filter((d) => !(d.path.includes('.status.') && d.problem.startsWith('required')))).toEqual([]);
    },
  );
});

describe.skipIf(!dir)('the upstream examples', () => {
  const examples = dir ? upstreamExamples(dir) : [];
  const validator = createValidator();

  it('are all found', () => {
    expect(examples.length).toBeGreaterThan(100);
  });

  it('pass the validator, except those invalid on purpose, which fail on the expected field', () => {
    const outcomes = examples.map(({ file, object }) => {
      const result = validator.validate(object);
      return { file, paths: [...new Set(result.errors.map((e) => e.path))] };
    });
    const unexpected = outcomes.filter(({ file, paths }) => {
      const expected = UPSTREAM_INVALID_EXAMPLES[file];
      return expected ? paths.join() !== expected : paths.length > 0;
    });
    expect(unexpected).toEqual([]);
    expect(
      outcomes
        .filter((o) => o.paths.length > 0)
        .map((o) => o.file)
        .sort(),
    ).toEqual(Object.keys(UPSTREAM_INVALID_EXAMPLES).sort());
  });
});
