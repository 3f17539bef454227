// Hostile AdmissionReviews for the webhook, generated from a seed: what each one is, and what a clear
// answer to it is. Categories: bodies that are not JSON, reviews of the wrong shape, unknown kinds and
// operations, huge strings and arrays, deep nesting, valid reviews of invalid objects, valid ones.
import { api } from '../support.ts';

export type Category =
  | 'not-json'
  | 'wrong-types'
  | 'unknown-kind'
  | 'unknown-operation'
  | 'huge-string'
  | 'huge-array'
  | 'deep-nesting'
  | 'invalid-object'
  | 'valid';

export const CATEGORIES: Category[] = [
  'not-json',
  'wrong-types',
  'unknown-kind',
  'unknown-operation',
  'huge-string',
  'huge-array',
  'deep-nesting',
  'invalid-object',
  'valid',
];

export interface HostileReview {
  category: Category;
  body: string;
  /** For a denial: the field its message must name. */
  field?: string;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same reviews. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validApi(name: string): Record<string, unknown> {
  const object = api('hostile', name, { definitionContext: { syncFrom: 'KUBERNETES' } });
  return { ...object, metadata: { ...object.metadata, uid: `uid-${name}` } };
}

function review(object: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const name = (object as { metadata?: { name?: string } }).metadata?.name ?? 'x';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `review-${name}`,
      kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ApiV4Definition' },
      resource: { group: 'gravitee.io', version: 'v1alpha1', resource: 'apiv4definitions' },
      name,
      namespace: 'hostile',
      operation: 'CREATE',
      userInfo: { username: 'fuzzer' },
      object,
      dryRun: false,
      ...overrides,
    },
  };
}

/**
 * Objects the webhook's own rules refuse, with the field each denial must name. (What the CRD schema
 * refuses never reaches a validating webhook: kube-apiserver checks the schema first.)
 */
const BROKEN_FIELDS: [string, (spec: Record<string, unknown>) => void][] = [
  ['spec.plans', (s) => delete s['plans']],
  [
    'spec.listeners[0].paths[1]',
    (s) => (s['listeners'] as { paths: unknown[] }[])[0]!.paths.push({ path: `/${String(s['name'])}` }),
  ],
  [
    'spec.listeners[0].paths[0]',
    (s) => ((s['listeners'] as { paths: { path: string }[] }[])[0]!.paths[0]!.path = '/a path?x'),
  ],
  ['spec.resources[0].ref', (s) => (s['resources'] = [{ ref: { name: 'missing' } }])],
];

/** The review number `index` of the sequence for this PRNG, taking the categories in turn. */
export function hostileReview(index: number, random: () => number, categories = CATEGORIES): HostileReview {
  const category = categories[index % categories.length]!;
  const name = `h${index}`;
  const size = (min: number, max: number) => Math.floor(min + random() * (max - min));
  switch (category) {
    case 'not-json': {
      const valid = JSON.stringify(review(validApi(name)));
      const cut = valid.slice(0, size(1, valid.length - 1));
      const noise = Array.from({ length: size(1, 200) }, () => String.fromCharCode(size(0, 256))).join('');
      return { category, body: random() < 0.5 ? cut : noise };
    }
    case 'wrong-types': {
      const variants: unknown[] = [
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: 'nope' },
        review(validApi(name), { uid: 5 }),
        review(validApi(name), { kind: 'ApiV4Definition' }),
        [1, 2, 3],
        null,
        review(validApi(name), { object: 'a string' }),
      ];
      return { category, body: JSON.stringify(variants[size(0, variants.length)]) };
    }
    case 'unknown-kind':
      return {
        category,
        body: JSON.stringify(review(validApi(name), { kind: { group: 'evil.io', version: 'v9', kind: 'Mallory' } })),
      };
    case 'unknown-operation':
      return { category, body: JSON.stringify(review(validApi(name), { operation: 'EXPLODE' })) };
    case 'huge-string': {
      const object = validApi(name);
      (object['spec'] as Record<string, unknown>)['description'] = 'x'.repeat(size(100_000, 2_000_000));
      return { category, body: JSON.stringify(review(object)) };
    }
    case 'huge-array': {
      const object = validApi(name);
      (object['spec'] as Record<string, unknown>)['tags'] = Array.from(
        { length: size(1_000, 50_000) },
        (_, i) => `t${i}`,
      );
      return { category, body: JSON.stringify(review(object)) };
    }
    case 'deep-nesting': {
      // Written as text: deeper than JSON.stringify itself can go.
      const object = validApi(name);
      (object['spec'] as Record<string, unknown>)['properties'] = [{ key: 'deep', value: 'x', nested: 'NESTED' }];
      const depth = size(100, 20_000);
      const nested = `${'{"n":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
      return { category, body: JSON.stringify(review(object)).replace('"NESTED"', nested) };
    }
    case 'invalid-object': {
      const object = validApi(name);
      const [field, breakIt] = BROKEN_FIELDS[size(0, BROKEN_FIELDS.length)]!;
      breakIt(object['spec'] as Record<string, unknown>);
      return { category, body: JSON.stringify(review(object)), field };
    }
    case 'valid':
      return { category, body: JSON.stringify(review(validApi(name))) };
  }
}
