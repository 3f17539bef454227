// A subscription must point to an API synchronised with APIM, a plan of it that takes
// subscriptions, and an application able to use that plan, both managed through the same context.
import {
  referenceKey,
  resolveReference,
  type ApiDefinition,
  type ApiV4Definition,
  type Application,
  type Subscription,
} from '@gko/api';
import { resolveCertificates } from '@gko/mapi';
import { parseDateTime } from '../../rules/certificates.ts';
import { identityFindings } from '../../rules/identity.ts';
import { dataLookup } from '../../rules/lookup-adapter.ts';
import { error, missingObject, type Finding, type KindAdmission, type Lookups } from '../../rules/rule.ts';
import { templateFindings } from '../../rules/templates.ts';
import { lastCertificateEnd } from '../application/index.ts';

const MINUTE = 60_000;
const SUBSCRIBABLE = ['API_KEY', 'JWT', 'OAUTH2', 'MTLS'];

interface ResolvedApi {
  kind: 'ApiDefinition' | 'ApiV4Definition';
  api: ApiDefinition | ApiV4Definition;
  plans: Record<string, string | undefined>;
  managedByApim: boolean;
}

function resolveApi(subscription: Subscription, namespace: string, lookups: Lookups): ResolvedApi | undefined {
  const kind = subscription.spec.api.kind ?? 'ApiV4Definition';
  const { namespace: ns, name } = resolveReference(subscription.spec.api, namespace);
  if (kind === 'ApiDefinition') {
    const api = lookups.get<ApiDefinition>('ApiDefinition', ns, name);
    return (
      api && {
        kind,
        api,
        plans: Object.fromEntries((api.spec.plans ?? []).map((p) => [p.name, p.security])),
        managedByApim: !api.spec.local,
      }
    );
  }
  const api = lookups.get<ApiV4Definition>('ApiV4Definition', ns, name);
  return (
    api && {
      kind,
      api,
      plans: Object.fromEntries(Object.entries(api.spec.plans ?? {}).map(([key, p]) => [key, p.security?.type])),
      managedByApim: (api.spec.definitionContext?.syncFrom ?? 'MANAGEMENT') === 'MANAGEMENT',
    }
  );
}

function futureDate(value: string | undefined, path: string, now: Date): Finding[] {
  if (value === undefined) return [];
  const date = parseDateTime(value);
  if (!date) return [error(path, `${value} is not an RFC 3339 date and time`)];
  return date.getTime() < now.getTime() + MINUTE
    ? [error(path, `${value} must be at least a minute in the future`)]
    : [];
}

export const subscription: KindAdmission = {
  kind: 'Subscription',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const sub = input.object as Subscription;
    const { namespace } = input;
    const now = lookups.now();
    const findings: Finding[] = [
      ...identityFindings('Subscription', input, lookups),
      ...templateFindings(sub.spec, namespace, lookups),
      ...futureDate(sub.spec.endingAt, 'spec.endingAt', now),
    ];
    (sub.spec.apiKeys ?? []).forEach((key, i) =>
      findings.push(...futureDate(key.expireAt, `spec.apiKeys[${i}].expireAt`, now)),
    );

    const resolved = resolveApi(sub, namespace, lookups);
    const apiRef = resolveReference(sub.spec.api, namespace);
    const appRef = resolveReference(sub.spec.application, namespace);
    const app = lookups.get<Application>('Application', appRef.namespace, appRef.name);
    if (!resolved)
      findings.push(
        missingObject('spec.api', {
          kind: sub.spec.api.kind ?? 'ApiV4Definition',
          namespace: apiRef.namespace,
          name: apiRef.name,
        }),
      );
    if (!app)
      findings.push(
        missingObject('spec.application', { kind: 'Application', namespace: appRef.namespace, name: appRef.name }),
      );
    if (!resolved) return Promise.resolve(findings);

    const { api, plans } = resolved;
    const apiName = `${resolved.kind} ${apiRef.namespace}/${apiRef.name}`;
    if (!resolved.managedByApim)
      findings.push(
        error(
          'spec.api',
          `${apiName} is deployed through ConfigMaps only; subscriptions need an API synchronised with APIM`,
        ),
      );
    if (api.spec.state === 'STOPPED') findings.push(error('spec.api', `${apiName} is stopped`));
    // Sorted, as the API server keeps map keys: the same words whether the API comes from the cluster or a file.
    const plansList = Object.keys(plans).sort();
    if (!Object.hasOwn(plans, sub.spec.plan)) {
      findings.push(
        error(
          'spec.plan',
          `${apiName} has no plan ${sub.spec.plan}${plansList.length ? ` (its plans: ${plansList.join(', ')})` : ''}`,
        ),
      );
      return Promise.resolve(findings);
    }
    const security = plans[sub.spec.plan] ?? '';
    if (!SUBSCRIBABLE.includes(security))
      findings.push(
        error(
          'spec.plan',
          `plan ${sub.spec.plan} is ${security || 'without security'}: only API_KEY, JWT, OAUTH2 and MTLS plans take subscriptions`,
        ),
      );
    if (sub.spec.apiKeys?.length && security !== 'API_KEY')
      findings.push(
        error('spec.apiKeys', `API keys can only be given for API_KEY plans, and plan ${sub.spec.plan} is ${security}`),
      );
    if (!app) return Promise.resolve(findings);

    const appName = `Application ${appRef.namespace}/${appRef.name}`;
    if ((security === 'JWT' || security === 'OAUTH2') && app.spec.settings.app && !app.spec.settings.app.clientId) {
      findings.push(error('spec.application', `${appName} needs a clientId to subscribe to ${security} plans`));
    }
    if (security === 'MTLS') {
      const { certificates } = resolveCertificates(app, dataLookup(lookups));
      if (certificates.length === 0 && !app.spec.settings.tls?.clientCertificate)
        findings.push(error('spec.application', `${appName} has no client certificate for an MTLS plan`));
      const last = lastCertificateEnd(certificates);
      const ends = sub.spec.endingAt ? parseDateTime(sub.spec.endingAt) : undefined;
      if (last && ends && ends > last)
        findings.push(
          error(
            'spec.endingAt',
            `the subscription would outlive every client certificate of ${appName} (the last ends at ${last.toISOString()})`,
          ),
        );
    }
    const apiContext = api.spec.contextRef && referenceKey(api.spec.contextRef, apiRef.namespace);
    const appContext = app.spec.contextRef && referenceKey(app.spec.contextRef, appRef.namespace);
    if (!apiContext) findings.push(error('spec.api', `${apiName} has no contextRef`));
    if (!appContext) findings.push(error('spec.application', `${appName} has no contextRef`));
    else if (apiContext && apiContext !== appContext)
      findings.push(
        error(
          'spec.application',
          `${appName} is managed through ManagementContext ${appContext}, and ${apiName} through ${apiContext}: they must be the same`,
        ),
      );
    return Promise.resolve(findings);
  },
};
