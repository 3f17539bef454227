import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '@kubernetes/client-node';
import type { ApiDefinition } from '@gko/api';
import { upstreamExamples, upstreamReferenceDir } from '@gko/api/corpus';
import { createValidator } from '@gko/api/validation';
import { DEFAULT_NOT_FOUND, DEFAULT_PLANS, ingressApiDefinition, type NotFoundResponse } from './api-definition.ts';
import type { Ingress, IngressPath, IngressRule } from './ingress.ts';
import { ingressRoutes } from './routes.ts';

type Flow = NonNullable<ApiDefinition['spec']['flows']>[number];

const ingress = (rules: IngressRule[], annotations?: Record<string, string>): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'team-a', uid: 'u-shop', ...(annotations ? { annotations } : {}) },
  spec: { rules },
});

const toService = (path: string, pathType = 'Prefix', service = 'web'): IngressPath => ({
  path,
  pathType,
  backend: { service: { name: service, port: { number: 80 } } },
});

/** The API generated for an Ingress whose routes have no problem. */
function generate(from: Ingress, template?: ApiDefinition, notFound: NotFoundResponse = DEFAULT_NOT_FOUND) {
  const routes = ingressRoutes(from);
  expect(routes.problems).toEqual([]);
  return ingressApiDefinition({ ingress: from, routes, template, notFound });
}

const flows = (api: ApiDefinition): Flow[] => api.spec.flows ?? [];
const flowNamed = (api: ApiDefinition, name: string): Flow => {
  const flow = flows(api).find((f) => f.name === name);
  expect(flow, name).toBeDefined();
  return flow!;
};
const conditionOf = (api: ApiDefinition, name: string): string => flowNamed(api, name).condition ?? '';

/**
 * Whether the gateway takes a condition for an expression. Gravitee's EL (gravitee-expression-language,
 * SpelExpressionParser.EXPRESSION_REGEX) only turns "{#", "{T" or "{(" followed by a body with
 * balanced braces into an expression: any other text in braces stays a literal string, which is not a
 * boolean. Group 1 is the SpEL expression. (JavaScript has no atomic groups: one character at a time
 * matches the same strings without backtracking.)
 */
const GATEWAY_EXPRESSION = /^\{ *([#T(](?:[^{}]|\{[^{}]*\})*)\}$/;

interface Request {
  host: string;
  contextPath: string;
  pathInfo: string;
}

const request = (host: string, contextPath: string, pathInfo = ''): Request => ({ host, contextPath, pathInfo });

type Token = { kind: 'literal' | 'name' | 'symbol'; text: string };

/** The tokens of the SpEL the generated conditions use. */
function tokenize(source: string): Token[] {
  const found: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (source[i] === ' ') {
      i++;
      continue;
    }
    if (source[i] === "'") {
      // As Spring's tokenizer reads a literal: a quote inside is written twice, nothing else escapes.
      let text = '';
      for (i++; ; i++) {
        if (i >= source.length) throw new Error(`unterminated literal in ${source}`);
        if (source[i] === "'") {
          if (source[i + 1] !== "'") break;
          i++;
        }
        text += source[i];
      }
      i++;
      found.push({ kind: 'literal', text });
      continue;
    }
    const symbol = ['&&', '||', '==', '!=', '(', ')', '!'].find((s) => source.startsWith(s, i));
    if (symbol) {
      found.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
      continue;
    }
    const name = /^#?[A-Za-z_][\w.]*/.exec(source.slice(i));
    if (!name) throw new Error(`unexpected ${source[i]} in ${source}`);
    found.push({ kind: 'name', text: name[0] });
    i += name[0].length;
  }
  return found;
}

/**
 * A flow condition evaluated for a request as the gateway would: the subset of SpEL the generated
 * conditions use (#request.host, .contextPath, .pathInfo, startsWith, ==, !=, !, &&, ||, parentheses),
 * with SpEL's precedence. Throws on anything the gateway would not evaluate to a boolean.
 */
function evaluate(condition: string, req: Request): boolean {
  const body = GATEWAY_EXPRESSION.exec(condition)?.[1];
  if (body === undefined) throw new Error(`not an expression for the gateway: ${condition}`);
  const list = tokenize(body);
  const variables: Record<string, string> = {
    '#request.host': req.host,
    '#request.contextPath': req.contextPath,
    '#request.pathInfo': req.pathInfo,
  };
  let at = 0;
  const isSymbol = (text: string) => list[at]?.kind === 'symbol' && list[at]?.text === text;
  const symbol = (text: string) => {
    if (!isSymbol(text)) throw new Error(`expected ${text} at token ${at} of ${body}`);
    at++;
  };
  const bool = (value: unknown): boolean => {
    if (typeof value !== 'boolean') throw new Error(`not a boolean: ${String(value)} in ${body}`);
    return value;
  };
  const variable = (name: string): string => {
    const value = variables[name];
    if (value === undefined) throw new Error(`unknown variable ${name} in ${body}`);
    return value;
  };
  const primary = (): unknown => {
    const token = list[at++];
    if (!token) throw new Error(`unexpected end of ${body}`);
    if (token.kind === 'literal') return token.text;
    if (token.kind === 'symbol' && token.text === '(') {
      const value = or();
      symbol(')');
      return value;
    }
    if (token.kind === 'name' && token.text.endsWith('.startsWith')) {
      const subject = variable(token.text.slice(0, -'.startsWith'.length));
      symbol('(');
      const prefix = primary();
      symbol(')');
      if (typeof prefix !== 'string') throw new Error(`startsWith of a non-string in ${body}`);
      return subject.startsWith(prefix);
    }
    if (token.kind === 'name') return variable(token.text);
    throw new Error(`unexpected ${token.text} in ${body}`);
  };
  const unary = (): unknown => {
    if (!isSymbol('!')) return primary();
    at++;
    return !bool(unary());
  };
  const equality = (): unknown => {
    const left = unary();
    if (!isSymbol('==') && !isSymbol('!=')) return left;
    const operator = list[at++]!.text;
    const right = unary();
    return operator === '==' ? left === right : left !== right;
  };
  const and = (): unknown => {
    let value = equality();
    while (isSymbol('&&')) {
      at++;
      const right = bool(equality());
      value = bool(value) && right;
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (isSymbol('||')) {
      at++;
      const right = bool(and());
      value = bool(value) || right;
    }
    return value;
  };
  const result = bool(or());
  if (at !== list.length) throw new Error(`unexpected ${list[at]!.text} in ${body}`);
  return result;
}

/** The names of the flows whose condition holds for the request (a flow without condition always does). */
const applying = (api: ApiDefinition, req: Request): string[] =>
  flows(api)
    .filter((f) => f.condition === undefined || evaluate(f.condition, req))
    .map((f) => f.name ?? '');

const applies = (api: ApiDefinition, name: string, req: Request): boolean => evaluate(conditionOf(api, name), req);

describe('the evaluation of conditions in these tests', () => {
  // The evaluator stands for the gateway below: it must itself tell true from false.
  it('reads literals, operators and precedence as SpEL does', () => {
    const req = request("it's", '/a', '');
    expect(evaluate("{(#request.host == 'it''s')}", req)).toBe(true);
    expect(evaluate("{(#request.host == 'it')}", req)).toBe(false);
    expect(evaluate("{(!(#request.contextPath == '/b') && #request.pathInfo == '')}", req)).toBe(true);
    expect(evaluate("{(#request.contextPath == '/b' || #request.host.startsWith('it'))}", req)).toBe(true);
    expect(evaluate("{#request.pathInfo != ''}", req)).toBe(false);
    expect(() => evaluate("{!(#request.host == 'x')}", req)).toThrow(/not an expression/);
    expect(() => evaluate("{(#request.host == 'it\\'s')}", req)).toThrow();
  });
});

describe('the ApiDefinition generated for an Ingress', () => {
  const shop = ingress([
    { host: 'a.example.com', http: { paths: [toService('/api'), toService('/static', 'Exact', 'files')] } },
    { http: { paths: [toService('/api', 'Prefix', 'fallback')] } },
  ]);
  const api = generate(shop);

  it("is the Ingress's namespace and name, owned and controlled by the Ingress", () => {
    expect(api).toMatchObject({ apiVersion: 'gravitee.io/v1alpha1', kind: 'ApiDefinition' });
    expect(api.metadata).toMatchObject({ name: 'shop', namespace: 'team-a' });
    expect(api.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        name: 'shop',
        uid: 'u-shop',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // Upstream's mark of an API generated for an Ingress; no template named.
    expect(api.metadata.annotations).toEqual({ 'gravitee.io/extends': 'gravitee.io/ingress' });
  });

  it('without a template is open and local: one published keyless plan, read by the gateways from its ConfigMap', () => {
    expect(api.spec.plans).toEqual(DEFAULT_PLANS);
    expect(DEFAULT_PLANS).toEqual([
      { name: 'Key Less', description: 'Open access, no key needed', security: 'KEY_LESS', status: 'PUBLISHED' },
    ]);
    expect(api.spec).toMatchObject({
      name: 'shop',
      version: '1.0.0',
      description: 'Routes of Ingress team-a/shop',
      local: true,
      flow_mode: 'DEFAULT',
    });
    expect(api.spec).not.toHaveProperty('contextRef');
  });

  it('has one virtual host per route and one endpoint per Service port, in the group default', () => {
    expect(api.spec.proxy?.virtual_hosts).toEqual([
      { host: 'a.example.com', path: '/api' },
      { host: 'a.example.com', path: '/static' },
      { path: '/api' },
    ]);
    expect(api.spec.proxy?.groups).toEqual([
      {
        name: 'default',
        endpoints: [
          { name: 'web-80', target: 'http://web.team-a.svc.cluster.local:80' },
          { name: 'files-80', target: 'http://files.team-a.svc.cluster.local:80' },
          { name: 'fallback-80', target: 'http://fallback.team-a.svc.cluster.local:80' },
        ],
      },
    ]);
    // The request reaches the Service with its path unchanged and the client's Host header.
    expect(api.spec.proxy).toMatchObject({ preserve_host: true, strip_context_path: false });
  });

  it('routes each route by a flow whose dynamic-routing step leads to its endpoint', () => {
    expect(flows(api).map((f) => f.name)).toEqual([
      'a.example.com/api → web-80',
      'a.example.com/static → files-80',
      '*/api → fallback-80',
      'No route found',
    ]);
    const flow = flowNamed(api, 'a.example.com/api → web-80');
    expect(flow).toMatchObject({ enabled: true, methods: [], post: [] });
    expect(flow.pre).toEqual([
      {
        name: 'Route to the backend Service',
        policy: 'dynamic-routing',
        enabled: true,
        configuration: { rules: [{ pattern: '(.*)', url: "{#endpoints['web-80']}{#request.path}" }] },
      },
    ]);
    expect(flowNamed(api, '*/api → fallback-80').pre?.[0]?.configuration).toEqual({
      rules: [{ pattern: '(.*)', url: "{#endpoints['fallback-80']}{#request.path}" }],
    });
  });

  it('matches the host of a route with or without a port, and no other host', () => {
    const route = 'a.example.com/api → web-80';
    expect(applies(api, route, request('a.example.com', '/api'))).toBe(true);
    expect(applies(api, route, request('a.example.com:8443', '/api'))).toBe(true);
    expect(applies(api, route, request('b.example.com', '/api'))).toBe(false);
    expect(applies(api, route, request('a.example.com.evil.test', '/api'))).toBe(false);
  });

  it('matches the context path of a route with or without its trailing slash, and no other', () => {
    const route = 'a.example.com/api → web-80';
    expect(applies(api, route, request('a.example.com', '/api'))).toBe(true);
    expect(applies(api, route, request('a.example.com', '/api/'))).toBe(true);
    expect(applies(api, route, request('a.example.com', '/apis'))).toBe(false);
    expect(applies(api, route, request('a.example.com', '/'))).toBe(false);
    // A path written with a trailing slash is the same route.
    const slashed = generate(ingress([{ http: { paths: [toService('/api/')] } }]));
    expect(applies(slashed, '*/api/ → web-80', request('any.test', '/api'))).toBe(true);
    expect(applies(slashed, '*/api/ → web-80', request('any.test', '/api/'))).toBe(true);
    const root = generate(ingress([{ http: { paths: [toService('/')] } }]));
    expect(applies(root, '*/ → web-80', request('any.test', '/'))).toBe(true);
  });

  it('lets a route without host serve the hosts that no rule of the Ingress declares', () => {
    expect(applying(api, request('a.example.com', '/api'))).toEqual(['a.example.com/api → web-80']);
    expect(applying(api, request('a.example.com:80', '/api'))).toEqual(['a.example.com/api → web-80']);
    expect(applying(api, request('b.example.com', '/api'))).toEqual(['*/api → fallback-80']);
    // a.example.com declares /static only: its rules are all it serves, /api is not found there.
    const elsewhere = generate(
      ingress([
        { host: 'a.example.com', http: { paths: [toService('/static')] } },
        { http: { paths: [toService('/api', 'Prefix', 'fallback')] } },
      ]),
    );
    expect(applying(elsewhere, request('a.example.com', '/api'))).toEqual(['No route found']);
    expect(applying(elsewhere, request('b.example.com', '/api'))).toEqual(['*/api → fallback-80']);
  });

  it('ends an Exact route at its path: nothing below it matches', () => {
    const route = 'a.example.com/static → files-80';
    expect(applies(api, route, request('a.example.com', '/static', ''))).toBe(true);
    expect(applies(api, route, request('a.example.com', '/static', '/'))).toBe(true);
    expect(applies(api, route, request('a.example.com', '/static', '/more'))).toBe(false);
    expect(flowNamed(api, route)['path-operator']).toEqual({ path: '/', operator: 'EQUALS' });
    // A Prefix route takes what is below it.
    expect(applies(api, 'a.example.com/api → web-80', request('a.example.com', '/api', '/orders/1'))).toBe(true);
    expect(flowNamed(api, 'a.example.com/api → web-80')['path-operator']).toEqual({
      path: '/',
      operator: 'STARTS_WITH',
    });
  });

  it('answers not found, last, exactly when no route matched', () => {
    const all = flows(api);
    const notFound = all[all.length - 1]!;
    expect(notFound).toMatchObject({
      name: 'No route found',
      enabled: true,
      methods: [],
      post: [],
      'path-operator': { path: '/', operator: 'STARTS_WITH' },
    });
    expect(notFound.pre).toEqual([
      {
        name: 'Not found',
        policy: 'mock',
        enabled: true,
        configuration: {
          status: '404',
          headers: [{ name: 'Content-Type', value: 'text/plain' }],
          content: 'No context-path matches the request URI.',
        },
      },
    ]);
    const requests = [
      request('a.example.com', '/api'),
      request('a.example.com', '/api/', '/deeper'),
      request('a.example.com:8080', '/static'),
      request('a.example.com', '/static', '/more'),
      request('b.example.com', '/api'),
      request('b.example.com', '/static'),
      request('a.example.com', '/'),
    ];
    for (const req of requests) {
      const names = applying(api, req);
      const routed = names.filter((n) => n !== 'No route found');
      // One route at most serves a request, and the not-found answer comes only when none does.
      expect(routed.length, JSON.stringify(req)).toBeLessThanOrEqual(1);
      expect(names.includes('No route found'), JSON.stringify(req)).toBe(routed.length === 0);
    }
    expect(applying(api, request('b.example.com', '/static'))).toEqual(['No route found']);
    expect(applying(api, request('a.example.com', '/static', '/more'))).toEqual(['No route found']);
  });

  it('answers not found with the body and content type it is given', () => {
    const custom = generate(shop, undefined, { content: '{"message":"nope"}', contentType: 'application/json' });
    expect(flowNamed(custom, 'No route found').pre?.[0]?.configuration).toEqual({
      status: '404',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: '{"message":"nope"}',
    });
  });

  it('is the same object for the same Ingress, and leaves its input alone', () => {
    const copy = structuredClone(shop);
    const again = generate(copy);
    expect(again).toEqual(api);
    expect(copy).toEqual(shop);
    // Two calls share nothing the caller could change for the other.
    again.spec.flows!.push({ name: 'added' });
    expect(flows(api)).toHaveLength(4);
  });

  it('is valid for the ApiDefinition CRD', () => {
    const result = createValidator().validate(api);
    expect(result.messages).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('the conditions of the generated flows', () => {
  it('are all expressions the gateway evaluates, the not-found one included', () => {
    const api = generate(
      ingress([
        { host: 'a.example.com', http: { paths: [toService('/api'), toService('/exact', 'Exact')] } },
        { http: { paths: [toService('/api', 'Prefix', 'fallback'), toService('/')] } },
      ]),
    );
    const notExpressions = flows(api)
      .filter((f) => !GATEWAY_EXPRESSION.test(f.condition ?? ''))
      .map((f) => f.name);
    expect(notExpressions).toEqual([]);
  });

  it('read a quote in a path back as the path, as SpEL reads literals (quote doubled)', () => {
    // Kubernetes accepts a quote in an Ingress path; the gateway must still compare with the path.
    const api = generate(ingress([{ http: { paths: [toService("/it's")] } }]));
    expect(applying(api, request('any.test', "/it's"))).toEqual(["*/it's → web-80"]);
    expect(applying(api, request('any.test', "/it's/"))).toEqual(["*/it's → web-80"]);
    expect(applying(api, request('any.test', '/its'))).toEqual(['No route found']);
  });

  it('read a backslash in a path back as it is, since SpEL has no backslash escape', () => {
    const api = generate(ingress([{ http: { paths: [toService('/a\\b')] } }]));
    expect(applying(api, request('any.test', '/a\\b'))).toEqual(['*/a\\b → web-80']);
    expect(applying(api, request('any.test', '/a\\\\b'))).toEqual(['No route found']);
  });

  it('are never built from a path with braces: such a path is refused', () => {
    const routes = ingressRoutes(ingress([{ http: { paths: [toService('/orders/{id}')] } }]));
    expect(routes.problems).toEqual([
      'spec.rules[0].http.paths[0].path: /orders/{id} cannot be routed: the gateway reads braces as expressions',
    ]);
  });

  it('serve a request by one route at most: paths that differ only by a trailing slash are one route', () => {
    // Kubernetes ignores the trailing slash of a Prefix path, and the conditions do too: both applied,
    // the gateway would run both dynamic-routing steps and the last would silently win.
    const twice = ingress([
      {
        host: 'a.example.com',
        http: { paths: [toService('/foo', 'Prefix', 'one'), toService('/foo/', 'Prefix', 'two')] },
      },
    ]);
    expect(ingressRoutes(twice).problems).toEqual([
      'spec.rules[0].http.paths[1]: host a.example.com and path /foo/ are already routed by spec.rules[0].http.paths[0]',
    ]);
  });

  it('are never broken by a lone brace in a path: such a path is refused', () => {
    // The gateway finds the end of an expression by counting braces, inside literals too.
    expect(ingressRoutes(ingress([{ http: { paths: [toService('/a{b')] } }])).problems).toEqual([
      'spec.rules[0].http.paths[0].path: /a{b cannot be routed: the gateway reads braces as expressions',
    ]);
  });
});

describe('the ApiDefinition generated from a template', () => {
  const template: ApiDefinition = {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiDefinition',
    metadata: { name: 'secured', namespace: 'team-a', annotations: { 'gravitee.io/template': 'true' } },
    spec: {
      id: 'template-id',
      crossId: 'template-cross-id',
      name: 'Template name',
      version: '2.0',
      description: 'Secured APIs',
      contextRef: { name: 'apim', namespace: 'team-a' },
      labels: ['ingress'],
      flow_mode: 'BEST_MATCH',
      plans: [{ name: 'Keys', description: 'Key plan', security: 'API_KEY', status: 'PUBLISHED' }],
      proxy: {
        preserve_host: false,
        cors: { enabled: true, allowOrigin: ['*'], allowCredentials: false, maxAge: 600 },
        virtual_hosts: [{ path: '/template' }],
        groups: [{ name: 'template', endpoints: [{ name: 'one', target: 'https://template.internal' }] }],
      },
      flows: [
        {
          name: 'Template flow',
          enabled: true,
          pre: [{ name: 'Header', policy: 'transform-headers', enabled: true, configuration: {} }],
        },
      ],
    },
  };
  const api = generate(
    ingress([{ host: 'a.example.com', http: { paths: [toService('/api')] } }], {
      'gravitee.io/template': 'secured',
    }),
    template,
  );

  it('names the template in an annotation, so that the template knows its users', () => {
    expect(api.metadata.annotations).toEqual({
      'gravitee.io/extends': 'gravitee.io/ingress',
      'ingress.gravitee.io/template': 'secured',
    });
  });

  it("takes the template's plans, context and other fields, but the Ingress's name", () => {
    expect(api.spec.plans).toEqual(template.spec.plans);
    expect(api.spec).toMatchObject({
      name: 'shop',
      version: '2.0',
      description: 'Secured APIs',
      contextRef: { name: 'apim', namespace: 'team-a' },
      labels: ['ingress'],
      // The routes rely on every flow whose condition holds being run, whatever the template says.
      flow_mode: 'DEFAULT',
    });
    // With a context, the API is not forced into local mode.
    expect(api.spec).not.toHaveProperty('local');
    // The template's ids are its own: the generated API gets its ids like any other API.
    expect(api.spec).not.toHaveProperty('id');
    expect(api.spec).not.toHaveProperty('crossId');
  });

  it("keeps the template's proxy settings but replaces its virtual hosts and endpoint groups", () => {
    expect(api.spec.proxy).toEqual({
      preserve_host: false,
      strip_context_path: false,
      cors: { enabled: true, allowOrigin: ['*'], allowCredentials: false, maxAge: 600 },
      virtual_hosts: [{ host: 'a.example.com', path: '/api' }],
      groups: [{ name: 'default', endpoints: [{ name: 'web-80', target: 'http://web.team-a.svc.cluster.local:80' }] }],
    });
  });

  it("runs the template's flows after the not-found flow", () => {
    expect(flows(api).map((f) => f.name)).toEqual(['a.example.com/api → web-80', 'No route found', 'Template flow']);
    expect(flows(api)[2]).toEqual(template.spec.flows![0]);
  });

  it("keeps the template's local setting, and falls back to the keyless plan when it has no plan", () => {
    const local = { ...template, spec: { ...template.spec, contextRef: undefined, local: false, plans: [] } };
    const fromLocal = generate(ingress([{ http: { paths: [toService('/')] } }]), local);
    expect(fromLocal.spec.local).toBe(false);
    expect(fromLocal.spec.plans).toEqual(DEFAULT_PLANS);
  });

  it('leaves the template alone', () => {
    const before = structuredClone(template);
    generate(ingress([{ http: { paths: [toService('/')] } }]), template);
    expect(template).toEqual(before);
  });
});

const dir = upstreamReferenceDir();
if (!dir)
  console.warn('upstream reference data (../shared/reference/gko) not found: upstream Ingress examples skipped');

/** An object of an upstream example file that the corpus leaves out (Ingresses, ConfigMaps). */
function plainExample<T>(file: string): T {
  // The JSON round trip leaves out the fields the client's deserializer sets to undefined.
  return JSON.parse(JSON.stringify(loadYaml(readFileSync(join(dir!, 'examples', file), 'utf8')))) as T;
}

/** An upstream Ingress example as the API server hands it over: in a namespace, with a uid. */
function ingressExample(file: string): Ingress {
  const object = plainExample<Ingress>(`ingress/${file}`);
  return { ...object, metadata: { ...object.metadata, namespace: 'default', uid: 'u-example' } };
}

/** An upstream template as stored: with the defaults of the CRD, in the Ingress's namespace. */
function templateExample(file: string): ApiDefinition {
  const example = upstreamExamples(dir!).find((e) => e.file === file);
  expect(example, file).toBeDefined();
  const stored = createValidator().withDefaults(example!.object) as unknown as ApiDefinition;
  return { ...stored, metadata: { ...stored.metadata, namespace: 'default' } };
}

describe.skipIf(!dir)('the ApiDefinitions generated for the upstream Ingress examples', () => {
  const validator = createValidator();

  it('routes the example without template to its Service, with the not-found response of the 404 ConfigMap', () => {
    const configMap = plainExample<{ data: NotFoundResponse }>('ingress/ingress-response-404-config-map.yml');
    const api = generate(ingressExample('ingress-without-api-template.yml'), undefined, configMap.data);
    expect(api.metadata).toMatchObject({
      name: 'ingress-without-api-template',
      namespace: 'default',
      annotations: { 'gravitee.io/extends': 'gravitee.io/ingress' },
      ownerReferences: [{ kind: 'Ingress', name: 'ingress-without-api-template', uid: 'u-example', controller: true }],
    });
    expect(api.spec).toMatchObject({
      name: 'ingress-without-api-template',
      local: true,
      flow_mode: 'DEFAULT',
      plans: [{ name: 'Key Less', security: 'KEY_LESS', status: 'PUBLISHED' }],
      proxy: {
        virtual_hosts: [{ host: 'httpbin.example.com', path: '/httpbin' }],
        groups: [
          {
            name: 'default',
            endpoints: [{ name: 'httpbin-1-8080', target: 'http://httpbin-1.default.svc.cluster.local:8080' }],
          },
        ],
      },
    });
    expect(api.spec.plans).toHaveLength(1);
    expect(flows(api).map((f) => f.name)).toEqual(['httpbin.example.com/httpbin → httpbin-1-8080', 'No route found']);
    expect(flows(api)[0]!.pre?.[0]).toMatchObject({
      policy: 'dynamic-routing',
      configuration: { rules: [{ pattern: '(.*)', url: "{#endpoints['httpbin-1-8080']}{#request.path}" }] },
    });
    expect(flows(api)[1]!.pre?.[0]).toMatchObject({
      policy: 'mock',
      configuration: {
        status: '404',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        content: '{ "message": "not-found-test" }',
      },
    });
    expect(validator.validate(api).messages).toEqual([]);
  });

  it('takes plans, local mode and flows from the template the example names', () => {
    const ingressWithTemplate = ingressExample('ingress-with-api-template.yml');
    const template = templateExample('apim/api_definition/v2/api-with-template-annotation.yml');
    // The example Ingress names this template: the fixture is the one it is meant for.
    expect(ingressWithTemplate.metadata.annotations?.['gravitee.io/template']).toBe(template.metadata.name);
    expect(template.metadata.name).toBe('api-template-with-api-key-plan');
    const withFlow: ApiDefinition = {
      ...template,
      spec: { ...template.spec, flows: [{ name: 'Template flow', enabled: true }] },
    };

    const api = generate(ingressWithTemplate, withFlow);
    expect(api.metadata.annotations).toEqual({
      'gravitee.io/extends': 'gravitee.io/ingress',
      'ingress.gravitee.io/template': 'api-template-with-api-key-plan',
    });
    expect(api.spec).toMatchObject({
      name: 'ingress-with-api-template',
      local: true,
      plans: [{ name: 'Apikey', security: 'API_KEY', status: 'PUBLISHED' }],
      proxy: {
        virtual_hosts: [{ host: 'httpbin.example.com', path: '/templated' }],
        groups: [{ name: 'default', endpoints: [{ name: 'httpbin-1-8080' }] }],
      },
    });
    expect(flows(api).map((f) => f.name)).toEqual([
      'httpbin.example.com/templated → httpbin-1-8080',
      'No route found',
      'Template flow',
    ]);
    expect(validator.validate(api).messages).toEqual([]);
  });

  it('keeps the context of the upstream Ingress template, and so does not force local mode', () => {
    const template = templateExample('ingress/ingress-api-template.yml');
    const api = generate(ingressExample('ingress-without-api-template.yml'), template);
    expect(api.spec.contextRef).toEqual({ name: 'ctx-dev' });
    // As stored, the template has local defaulted to false: APIM is where the gateways get it.
    expect(template.spec.local).toBe(false);
    expect(api.spec.local).toBe(false);
    // This template has no plan: the API is open.
    expect(api.spec.plans).toEqual(DEFAULT_PLANS);
    expect(validator.validate(api).messages).toEqual([]);
  });

  it('serves the hosts of the multiple-hosts example, and any undeclared host on the third path', () => {
    const api = generate(ingressExample('ingress-with-multiple-hosts.yml'));
    expect(api.spec.proxy?.virtual_hosts).toEqual([
      { host: 'foo.example.com', path: '/ingress/foo' },
      { host: 'bar.example.com', path: '/ingress/bar' },
      { path: '/ingress/baz' },
    ]);
    // The hostless route takes the hosts no rule declares; a declared host is served by its rules only.
    expect(applying(api, request('baz.example.com', '/ingress/baz'))).toEqual(['*/ingress/baz → httpbin-3-8080']);
    expect(applying(api, request('foo.example.com', '/ingress/baz'))).toEqual(['No route found']);
    expect(applying(api, request('foo.example.com', '/ingress/foo'))).toEqual([
      'foo.example.com/ingress/foo → httpbin-1-8080',
    ]);
    // A host's path on another host is not found.
    expect(applying(api, request('bar.example.com', '/ingress/foo'))).toEqual(['No route found']);
    expect(validator.validate(api).messages).toEqual([]);
  });
});
