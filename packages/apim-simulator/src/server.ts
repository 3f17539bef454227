// The simulator's HTTP server. It serves the paths of a self-hosted APIM (/management, /automation)
// and of Gravitee Cloud (/apim/rest, /apim/automation), checks credentials, validates every request
// body against the contract documents, and applies APIM's rules; tests steer it through the returned
// handle, or through /_simulator/* when it runs in another process.
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_DIR, createSchemaValidator, loadDocument, type SchemaValidator } from '@gko/mapi/contract';
import type { Automation } from '@gko/mapi';
import { controlRoutes } from './control.ts';
import { editObject, removeObject, type EditableKind, type EditableObjects, type EditScope } from './edits.ts';
import { automationError, v1Error } from './errors.ts';
import { FaultInjector, type Faults } from './faults.ts';
import { InFlight, ObjectWrites } from './in-flight.ts';
import { importApiV2 } from './kinds/api-definition.ts';
import { apiV2Entity } from './kinds/api-entity.ts';
import { connectPhaseOf, dropUnknownPhase, importApiV4 } from './kinds/api-v4-definition.ts';
import { importApplication } from './kinds/application.ts';
import { importDictionary } from './kinds/dictionary.ts';
import type { Findings } from './kinds/findings.ts';
import { importGroup } from './kinds/group.ts';
import {
  importDocumentation,
  importPortal,
  importPortalLink,
  importPortalListing,
  type ChildOutcome,
} from './kinds/portal.ts';
import { importSharedPolicyGroup } from './kinds/shared-policy-group.ts';
import { closeRemovedPlans, importSubscription } from './kinds/subscription.ts';
import { keyOf } from './kinds/findings.ts';
import { withoutNulls } from './json-binding.ts';
import { countRequests, type RecordedRequest, type RequestFilter } from './request-log.ts';
import { SimulatorState, type EnvironmentState, type OrganizationsSeed } from './state.ts';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Accepted user names and passwords (HTTP basic). Default: admin / admin. */
  users?: { username: string; password: string }[];
  /** Accepted bearer tokens. */
  tokens?: string[];
  /** Organizations and environments that exist. Default: DEFAULT / DEFAULT. */
  organizations?: OrganizationsSeed;
  /** Serve HTTPS with this certificate instead of HTTP. */
  tls?: { certPem: string; keyPem: string };
  now?: () => Date;
  /**
   * The APIM version to behave as (default 4.12.0). Up to 4.10 the connect phase of native flows is
   * called `connect`, from 4.11 `entrypointConnect`; APIM drops the name it does not know without a
   * word, and its Automation API's own OpenAPI document (GET <automation>/open-api.yaml) tells which.
   */
  apimVersion?: string;
}

export interface Simulator {
  /** What a ManagementContext's baseUrl would be. */
  readonly url: string;
  readonly state: SimulatorState;
  requests(): RecordedRequest[];
  /** How many recorded requests match, e.g. { method: 'GET', pathPrefix: '/automation/' }. */
  countRequests(filter?: RequestFilter): number;
  clearRequests(): void;
  setFaults(faults: Faults): void;
  clearFaults(): void;
  /**
   * Changes a stored object as a console edit would: merges the patch (shallowly) into it and answers
   * it as the operator would read it back, or undefined when there is none. apis are found by HRID,
   * v2Apis by id, the other kinds by HRID; in DEFAULT / DEFAULT unless the scope says otherwise.
   * Neither this nor remove shows in the request log.
   */
  edit<K extends EditableKind>(
    kind: K,
    key: string,
    patch: Partial<EditableObjects[K]>,
    scope?: EditScope,
  ): EditableObjects[K] | undefined;
  /** Deletes a stored object behind the operator's back; answers whether there was one. */
  remove(kind: EditableKind, key: string, scope?: EditScope): boolean;
  /** The most requests in flight at once since the start or the last reset: overall, or of one caller. */
  maxInFlight(caller?: string): number;
  resetMaxInFlight(): void;
  /** The objects written by more than one request at once, with the most at once (should be none). */
  writeOverlaps(): Record<string, number>;
  /** Forgets everything stored and every request recorded, the faults and the highest concurrency. */
  reset(): void;
  stop(): Promise<void>;
}

type Locals = { env: EnvironmentState; caller: string; written?: () => void };
const PREFIXES = [
  { management: '/management', automation: '/automation' },
  { management: '/apim/rest', automation: '/apim/automation' },
];

const flag = (req: Request, name: string) => req.query[name] === 'true';

function callerOf(header: string | undefined, options: SimulatorOptions): string | undefined {
  const [scheme, value] = (header ?? '').split(' ', 2);
  if (scheme?.toLowerCase() === 'basic' && value) {
    const [username, ...rest] = Buffer.from(value, 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    const users = options.users ?? [{ username: 'admin', password: 'admin' }];
    return users.some((u) => u.username === username && u.password === password) ? `basic:${username}` : undefined;
  }
  if (scheme?.toLowerCase() === 'bearer' && value) return (options.tokens ?? []).includes(value) ? 'bearer' : undefined;
  return undefined;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimulatorState(options.organizations ?? { DEFAULT: { DEFAULT: {} } });
  const faults = new FaultInjector();
  const log: RecordedRequest[] = [];
  const inFlight = new InFlight();
  const objectWrites = new ObjectWrites();
  const now = options.now ?? (() => new Date());
  const validators: Record<'automation' | 'management-v1', SchemaValidator> = {
    automation: createSchemaValidator(loadDocument('automation')),
    'management-v1': createSchemaValidator(loadDocument('management-v1')),
  };

  const connectPhase = connectPhaseOf(options.apimVersion ?? '4.12.0');
  const automationDocument = readFileSync(join(OPENAPI_DIR, 'automation.yaml'), 'utf8').replace(
    /^(\s+)entrypointConnect:/gm,
    `$1${connectPhase}:`,
  );

  const app = express();
  app.disable('x-powered-by');
  // First of all, so that a request counts from its arrival (before its body is read) until the last
  // byte of the answer, or until its connection is dropped.
  app.use((req, res, next) => {
    if (req.path.startsWith('/_simulator/')) return next();
    const leave = inFlight.enter(callerOf(req.headers.authorization, options) ?? 'none');
    res.on('finish', leave);
    res.on('close', leave);
    next();
  });
  app.use(express.json({ limit: '16mb' }));
  // Writes per object, from arrival until carried out: until the answer is written, whether the
  // caller still waits for it or not (one that gave up does not stop APIM), or dropped unheard.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.path.startsWith('/_simulator/')) return next();
    // A PUT names the object in its body, a DELETE in its path: both come to <collection>/<hrid>.
    const hrid = (req.body as { hrid?: unknown } | undefined)?.hrid;
    const leave = objectWrites.enter(typeof hrid === 'string' ? `${req.path.replace(/\/$/, '')}/${hrid}` : req.path);
    (res.locals as Partial<Locals>).written = leave;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      leave();
      return end(...args);
    }) as Response['end'];
    next();
  });

  app.use('/_simulator', controlRoutes({ state, log, faults, inFlight }));

  app.use((req, res, next) => {
    res.on('finish', () => {
      log.push({
        method: req.method,
        // Routers rewrite req.path; the log shows the path as called.
        path: new URL(req.originalUrl, 'http://simulator').pathname,
        query: Object.fromEntries(new URL(req.originalUrl, 'http://simulator').searchParams),
        status: res.statusCode,
        caller: (res.locals as Partial<Locals>).caller ?? 'none',
        ...(req.method === 'PUT' ? { body: req.body as unknown } : {}),
      });
    });
    const decision = faults.decide(req.path);
    const act = () => {
      if (decision.action === 'drop') {
        (res.locals as Partial<Locals>).written?.();
        req.socket.destroy();
      } else if (decision.action === 'error')
        automationError(res, decision.status, 'the service is unavailable (injected fault)', 'simulator.fault');
      else if (decision.action === 'late') {
        // Carried out now, answered too late: the caller cannot tell whether it happened.
        const end = res.end.bind(res) as (...args: unknown[]) => Response;
        res.end = ((...args: unknown[]) => {
          (res.locals as Partial<Locals>).written?.();
          setTimeout(() => end(...args), decision.lateMs).unref();
          return res;
        }) as Response['end'];
        next();
      } else next();
    };
    if (decision.latencyMs > 0) void sleep(decision.latencyMs).then(act);
    else act();
  });

  const authenticate = (shape: 'automation' | 'v1') => (req: Request, res: Response, next: NextFunction) => {
    const caller = callerOf(req.headers.authorization, options);
    if (!caller) {
      if (shape === 'v1') v1Error(res, 401, 'Unauthorized', 'unauthorized');
      else automationError(res, 401, 'Unauthorized', 'unauthorized');
      return;
    }
    (res.locals as Locals).caller = caller;
    const { orgId, envId } = req.params as { orgId: string; envId: string };
    const env = state.environment(orgId, envId);
    if (!env) {
      const message = state.hasOrganization(orgId)
        ? `environment [${envId}] cannot be found`
        : `organization [${orgId}] cannot be found`;
      if (shape === 'v1') v1Error(res, 404, message, 'environment.notFound');
      else automationError(res, 404, message, 'environment.notFound');
      return;
    }
    (res.locals as Locals).env = env;
    next();
  };

  const invalid = (document: 'automation' | 'management-v1', schema: string, req: Request, res: Response): boolean => {
    // Read as APIM's binding reads it: what follows (checks, storage) sees the body without nulls.
    req.body = withoutNulls(req.body);
    const problems = validators[document].validate(schema, req.body);
    if (problems.length === 0) return false;
    const message = `invalid request body: ${problems.map((p) => `${p.location || '(body)'} ${p.message}`).join('; ')}`;
    if (document === 'management-v1') v1Error(res, 400, message, 'validation.invalid');
    else
      automationError(
        res,
        400,
        message,
        'validation.invalid',
        problems.map((p) => ({ message: p.message, location: p.location })),
      );
    return true;
  };

  /**
   * Where an object is kept: by HRID, or, named by UUID (hridContainsUUID), the object with that id,
   * wherever it is kept (an object made by HRID can be named by its id too).
   */
  const keyIn = <State extends { id?: string }>(stored: Map<string, State>, name: string, byUuid: boolean) =>
    (byUuid ? keyOf(stored, (value) => value.id === name) : undefined) ?? name;

  /** PUT with APIM's dry-run semantics: a dry run answers and stores nothing; severe problems refuse. */
  function upsert<Spec extends { hrid: string }, State extends { id?: string }>(
    router: Router,
    path: string,
    schema: string,
    store: (env: EnvironmentState) => Map<string, State>,
    run: (
      env: EnvironmentState,
      body: Spec,
      hridContainsUUID: boolean,
    ) => { state: State; findings: Findings; key?: string; replaces?: string },
    stored?: (env: EnvironmentState, before: State | undefined, after: State) => void,
  ) {
    router.put(path, (req, res) => {
      if (invalid('automation', schema, req, res)) return;
      const { env } = res.locals as Locals;
      const body = req.body as Spec;
      const byUuid = flag(req, 'hridContainsUUID');
      const { state: result, findings, key, replaces } = run(env, body, byUuid);
      if (flag(req, 'dryRun')) return void res.json(result);
      if (findings.severe.length > 0) {
        return automationError(
          res,
          400,
          findings.severe.join('; '),
          'validation.severe',
          findings.severe.map((message) => ({ message })),
        );
      }
      const where = key ?? keyIn(store(env), body.hrid, byUuid);
      const before = store(env).get(replaces ?? where);
      if (replaces) store(env).delete(replaces);
      store(env).set(where, result);
      stored?.(env, before, result);
      res.json(result);
    });
    router.get(`${path}/:hrid`, (req, res) => {
      const kept = store((res.locals as Locals).env);
      const found = kept.get(keyIn(kept, req.params['hrid'], flag(req, 'hridContainsUUID')));
      if (found) res.json(found);
      else automationError(res, 404, `[${req.params['hrid']}] cannot be found`, 'notFound');
    });
    router.delete(`${path}/:hrid`, (req, res) => {
      const { env } = res.locals as Locals;
      const hrid = keyIn(store(env), req.params['hrid'], flag(req, 'hridContainsUUID'));
      if (!store(env).delete(hrid)) return automationError(res, 404, `[${hrid}] cannot be found`, 'notFound');
      if (path === '/apis') {
        env.subscriptions.delete(req.params['hrid']);
        for (const key of env.subscriptionPlans.keys())
          if (key.startsWith(`${req.params['hrid']}/`)) env.subscriptionPlans.delete(key);
      }
      res.status(204).end();
    });
  }

  /**
   * Objects kept under a parent (a portal's links, listings and pages, an API's pages), named in the
   * path by the parent's HRID. APIM derives their ids from both HRIDs: a PUT is always an upsert.
   */
  function children<Spec extends { hrid: string }, State>(
    router: Router,
    path: string,
    parentParam: 'portalHrid' | 'apiHrid',
    schema: string,
    store: (env: EnvironmentState) => Map<string, Map<string, State>>,
    run: (env: EnvironmentState, parentHrid: string, body: Spec) => ChildOutcome<State>,
  ) {
    const kept = (env: EnvironmentState, parent: string) => {
      let map = store(env).get(parent);
      if (!map) store(env).set(parent, (map = new Map<string, State>()));
      return map;
    };
    router.put(path, (req, res) => {
      if (invalid('automation', schema, req, res)) return;
      const { env } = res.locals as Locals;
      const parent = (req.params as Record<string, string>)[parentParam]!;
      const body = req.body as Spec;
      const outcome = run(env, parent, body);
      if (flag(req, 'dryRun')) return void res.json(outcome.state);
      const { severe } = outcome.findings;
      if (severe.length > 0)
        return automationError(
          res,
          400,
          severe.join('; '),
          'invalid',
          severe.map((message) => ({ message })),
        );
      if (outcome.refusal)
        return automationError(res, outcome.refusal.status, outcome.refusal.message, outcome.refusal.technicalCode);
      if (!outcome.discard) kept(env, parent).set(body.hrid, outcome.state);
      res.json(outcome.state);
    });
    const notFound = (res: Response, hrid: string) =>
      automationError(res, 404, `HRID [${hrid}] cannot be found.`, 'hrid.notFound');
    router.get(`${path}/:hrid`, (req, res) => {
      const found = kept((res.locals as Locals).env, (req.params as Record<string, string>)[parentParam]!).get(
        req.params['hrid'],
      );
      if (found) res.json(found);
      else notFound(res, req.params['hrid']);
    });
    router.delete(`${path}/:hrid`, (req, res) => {
      const map = kept((res.locals as Locals).env, (req.params as Record<string, string>)[parentParam]!);
      if (!map.delete(req.params['hrid'])) return notFound(res, req.params['hrid']);
      res.status(204).end();
    });
  }

  for (const prefix of PREFIXES) {
    const management = express.Router({ mergeParams: true });
    management.get('/', (_req, res) => {
      const { env } = res.locals as Locals;
      res.json({ id: env.id, name: env.name });
    });
    app.use(`${prefix.management}/v2/organizations/:orgId/environments/:envId`, authenticate('automation'), management);

    const v1 = express.Router({ mergeParams: true });
    v1.put('/apis/import-crd', (req, res) => {
      if (invalid('management-v1', 'ApiV2Definition', req, res)) return;
      const { env } = res.locals as Locals;
      const result = importApiV2(env, req.body as Parameters<typeof importApiV2>[1]);
      if (flag(req, 'dryRun')) return void res.json(result.status);
      if (result.findings.severe.length > 0) return void res.status(400).json(result.findings.errors());
      const before = env.v2Apis.get(result.status.id);
      env.v2Apis.set(result.status.id, { definition: result.definition, status: result.status });
      closeRemovedPlans(env, before?.definition.plans, result.definition.plans);
      res.json(result.status);
    });
    v1.get('/apis/:apiId', (req, res) => {
      const found = (res.locals as Locals).env.v2Apis.get(req.params['apiId']);
      if (found) res.json(apiV2Entity(found));
      else v1Error(res, 404, `API [${req.params['apiId']}] cannot be found`, 'api.notFound');
    });
    v1.delete('/apis/:apiId', (req, res) => {
      const { env } = res.locals as Locals;
      if (env.v2Apis.delete(req.params['apiId'])) res.status(204).end();
      else v1Error(res, 404, `API [${req.params['apiId']}] cannot be found`, 'api.notFound');
    });
    app.use(`${prefix.management}/organizations/:orgId/environments/:envId`, authenticate('v1'), v1);

    // The Automation API's own document, at its root (no organization, no environment).
    app.get(`${prefix.automation}/open-api.yaml`, (_req, res) => {
      res.type('application/yaml').send(automationDocument);
    });
    const automation = express.Router({ mergeParams: true });
    upsert(
      automation,
      '/apis',
      'ApiV4Spec',
      (env) => env.apis,
      (env, body: Automation.ApiV4Spec, hridContainsUUID) =>
        importApiV4(env, dropUnknownPhase(body, connectPhase), hridContainsUUID),
      (env, before, after) => closeRemovedPlans(env, before?.plans, after.plans),
    );
    upsert(automation, '/applications', 'ApplicationSpec', (env) => env.applications, importApplication);
    upsert(
      automation,
      '/shared-policy-groups',
      'SharedPolicyGroupSpec',
      (env) => env.sharedPolicyGroups,
      importSharedPolicyGroup,
    );
    upsert(automation, '/groups', 'GroupSpec', (env) => env.groups, importGroup);
    upsert(automation, '/dictionaries', 'DictionarySpec', (env) => env.dictionaries, importDictionary);
    upsert(automation, '/portals', 'PortalSpec', (env) => env.portals, importPortal);
    children(
      automation,
      '/portals/:portalHrid/links',
      'portalHrid',
      'PortalLinkSpec',
      (env) => env.portalLinks,
      importPortalLink,
    );
    children(
      automation,
      '/portals/:portalHrid/listings',
      'portalHrid',
      'PortalListingSpec',
      (env) => env.portalListings,
      importPortalListing,
    );
    children(
      automation,
      '/portals/:portalHrid/documentations',
      'portalHrid',
      'DocumentationSpec',
      (env) => env.portalDocumentations,
      (env, portalHrid, body: Automation.DocumentationSpec) => importDocumentation(env, { portalHrid }, body),
    );
    children(
      automation,
      '/apis/:apiHrid/documentations',
      'apiHrid',
      'DocumentationSpec',
      (env) => env.apiDocumentations,
      (env, apiHrid, body: Automation.DocumentationSpec) => importDocumentation(env, { apiHrid }, body),
    );

    const subscriptions = (env: EnvironmentState, api: string): Map<string, Automation.SubscriptionState> => {
      let map = env.subscriptions.get(api);
      if (!map) env.subscriptions.set(api, (map = new Map<string, Automation.SubscriptionState>()));
      return map;
    };
    automation.put('/apis/:apiHrid/subscriptions', (req, res) => {
      if (invalid('automation', 'SubscriptionSpec', req, res)) return;
      const { env } = res.locals as Locals;
      const apiHrid = req.params['apiHrid'];
      const body = req.body as Automation.SubscriptionSpec;
      const outcome = importSubscription(
        env,
        apiHrid,
        body,
        {
          hridContainsUUID: flag(req, 'hridContainsUUID'),
          hridContainsApiUUID: flag(req, 'hridContainsApiUUID'),
          hridContainsAppUUID: flag(req, 'hridContainsAppUUID'),
        },
        now(),
      );
      if (!outcome.ok) return automationError(res, outcome.status, outcome.message, outcome.technicalCode);
      subscriptions(env, apiHrid).set(body.hrid, outcome.state);
      env.subscriptionPlans.set(`${apiHrid}/${body.hrid}`, outcome.planId);
      res.json(outcome.state);
    });
    automation.get('/apis/:apiHrid/subscriptions/:hrid', (req, res) => {
      const found = subscriptions((res.locals as Locals).env, req.params['apiHrid']).get(req.params['hrid']);
      if (found) res.json(found);
      else automationError(res, 404, `subscription [${req.params['hrid']}] cannot be found`, 'notFound');
    });
    // Deleting a subscription closes it: APIM keeps it, closed, and no longer serves it here.
    automation.delete('/apis/:apiHrid/subscriptions/:hrid', (req, res) => {
      const { env } = res.locals as Locals;
      const { apiHrid, hrid } = req.params;
      const active = subscriptions(env, apiHrid);
      const found = active.get(hrid);
      if (!found) return automationError(res, 404, `subscription [${hrid}] cannot be found`, 'notFound');
      active.delete(hrid);
      env.closedSubscriptions.set(`${apiHrid}/${hrid}`, { ...found, closedAt: now().toISOString() });
      res.status(204).end();
    });
    app.use(`${prefix.automation}/organizations/:orgId/environments/:envId`, authenticate('automation'), automation);
  }

  // Malformed JSON and anything unexpected: APIM's error shape, never a crash.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.type === 'entity.parse.failed' ? 400 : (error.status ?? 500);
    automationError(
      res,
      status,
      status === 400 ? 'the request body is not valid JSON' : 'unexpected error',
      status === 400 ? 'json.invalid' : 'internal',
    );
  });
  app.use((req, res) => automationError(res, 404, `no such path: ${req.method} ${req.path}`, 'path.notFound'));

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, app)
    : createHttpServer(app);
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    state,
    requests: () => [...log],
    countRequests: (filter) => countRequests(log, filter),
    clearRequests: () => void (log.length = 0),
    setFaults: (f) => faults.set(f),
    clearFaults: () => faults.clear(),
    edit: (kind, key, patch, scope) => editObject(state, kind, key, patch, scope),
    remove: (kind, key, scope) => removeObject(state, kind, key, scope),
    maxInFlight: (caller) => inFlight.maxInFlight(caller),
    resetMaxInFlight: () => inFlight.resetMax(),
    writeOverlaps: () => objectWrites.overlaps(),
    reset: () => {
      state.reset();
      log.length = 0;
      faults.clear();
      inFlight.resetMax();
      objectWrites.reset();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
