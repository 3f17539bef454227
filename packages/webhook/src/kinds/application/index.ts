import { resolveReference, type ApiDefinition, type ApiV4Definition, type Application } from '@gko/api';
import { applicationIds, checkTakeOver, idFlags, resolveCertificates, toApplicationSpec } from '@gko/mapi';
import { certificateFindings, dateRangeFindings, parseDateTime } from '../../rules/certificates.ts';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { claimsOf, identityFindings, withStatus } from '../../rules/identity.ts';
import { dataLookup } from '../../rules/lookup-adapter.ts';
import { subscriptionGuard, subscriptionsOf } from '../../rules/references.ts';
import {
  error,
  missingObject,
  hasErrors,
  warning,
  type Finding,
  type KindAdmission,
  type Lookups,
} from '../../rules/rule.ts';
import { compiled as compile, templateFindings } from '../../rules/templates.ts';

/** The security of the plan a subscription targets, when the API and the plan exist. */
export function planSecurity(
  lookups: Lookups,
  namespace: string,
  api: { name: string; namespace?: string; kind?: string },
  plan: string,
): string | undefined {
  const { namespace: ns, name } = resolveReference(api, namespace);
  if ((api.kind ?? 'ApiV4Definition') === 'ApiDefinition') {
    return lookups.get<ApiDefinition>('ApiDefinition', ns, name)?.spec.plans?.find((p) => p.name === plan)?.security;
  }
  return lookups.get<ApiV4Definition>('ApiV4Definition', ns, name)?.spec.plans?.[plan]?.security?.type;
}

/** The latest end date of the application's certificates; undefined when one of them never ends. */
export function lastCertificateEnd(certificates: { endsAt?: string }[]): Date | undefined {
  if (certificates.length === 0 || certificates.some((c) => !c.endsAt)) return undefined;
  return new Date(Math.max(...certificates.map((c) => parseDateTime(c.endsAt!)?.getTime() ?? Infinity)));
}

export const application: KindAdmission = {
  kind: 'Application',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  async validate(input, lookups) {
    const app = input.object as Application;
    const { namespace, name } = input;
    if (input.operation === 'DELETE') return subscriptionGuard(lookups, 'Application', input.object);
    const { context, findings: contextFindings } = findContext(app.spec.contextRef, namespace, lookups);
    const findings: Finding[] = [
      ...identityFindings('Application', input, lookups),
      ...templateFindings(app.spec, namespace, lookups),
      ...contextFindings,
    ];
    if (hasErrors(findings)) return findings;
    const stored = withStatus<Application>(input);
    const compiled = compile(stored, namespace, lookups);
    const tls = compiled.spec.settings.tls;
    if (tls?.clientCertificate !== undefined) {
      findings.push(
        warning('spec.settings.tls.clientCertificate', 'clientCertificate is deprecated: use clientCertificates'),
      );
      findings.push(...certificateFindings(tls.clientCertificate, 'spec.settings.tls.clientCertificate'));
    }
    const { certificates, positions, problems } = resolveCertificates(compiled, dataLookup(lookups));
    findings.push(
      ...problems.map((p) => (p.missing ? missingObject(p.path, p.source, p.message) : error(p.path, p.message))),
    );
    const now = lookups.now();
    (tls?.clientCertificates ?? []).forEach((entry, i) => {
      const path = `spec.settings.tls.clientCertificates[${i}]`;
      const resolved = certificates[positions.indexOf(i)];
      if (resolved)
        findings.push(...certificateFindings(resolved.content, entry.ref ? `${path}.ref` : `${path}.content`));
      findings.push(...dateRangeFindings(entry.startsAt, entry.endsAt, path, now));
    });
    if (input.operation === 'UPDATE') {
      // A subscription to an mTLS plan must not outlive every certificate of the application.
      const last = lastCertificateEnd(certificates);
      for (const subscription of subscriptionsOf(lookups, 'Application', `${namespace}/${name}`)) {
        const ends = subscription.spec.endingAt ? parseDateTime(subscription.spec.endingAt) : undefined;
        if (
          last &&
          ends &&
          ends > last &&
          planSecurity(
            lookups,
            subscription.metadata.namespace ?? namespace,
            subscription.spec.api,
            subscription.spec.plan,
          ) === 'MTLS'
        ) {
          findings.push(
            error(
              'spec.settings.tls.clientCertificates',
              `Subscription ${subscription.metadata.namespace}/${subscription.metadata.name} ends at ${subscription.spec.endingAt}, after every certificate of the application`,
            ),
          );
        }
      }
    }
    return withDryRun(findings, context, lookups, (client) =>
      checkTakeOver(
        { ...compiled, kind: 'Application' },
        applicationIds(compiled),
        (hrid, flags) => client.applications.get(hrid, flags),
        claimsOf(lookups),
      ).then(() =>
        client.applications.put(toApplicationSpec(compiled, certificates), {
          dryRun: true,
          ...idFlags(applicationIds(compiled)),
        }),
      ),
    );
  },

  // Certificates without a name are named after the application and their position.
  mutates: ['CREATE', 'UPDATE'],
  mutate(input) {
    const app = input.object as Application;
    // Mutation comes before the schema check: anything but the expected shape is left to that check.
    const certificates: unknown = (app.spec as Partial<Application['spec']> | undefined)?.settings?.tls
      ?.clientCertificates;
    if (!Array.isArray(certificates) || !certificates.every(isObject) || !certificates.some((c) => !c['name']))
      return { findings: [] };
    const named = (
      certificates as NonNullable<NonNullable<Application['spec']['settings']['tls']>['clientCertificates']>
    ).map((c, i) => (c.name ? c : { ...c, name: `${app.spec.name}-${i}` }));
    const spec = {
      ...app.spec,
      settings: { ...app.spec.settings, tls: { ...app.spec.settings.tls, clientCertificates: named } },
    };
    return { object: { ...app, spec }, findings: [] };
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
