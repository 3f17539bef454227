import type { ManagementContext } from '@gko/api';
import { ApimError, CloudTokenError, ContextError, cloudLocation, cloudToken, parseCloudToken } from '@gko/mapi';
import { dataLookup } from '../../rules/lookup-adapter.ts';
import { contextUsers, deleteGuard } from '../../rules/references.ts';
import {
  ApimNotConsulted,
  error,
  missingObject,
  warning,
  type Finding,
  type KindAdmission,
  type Lookups,
} from '../../rules/rule.ts';
import { compiledSpec, templateFindings } from '../../rules/templates.ts';

/** Reads the environment from APIM: proves URL, organization, environment and credentials at once. */
async function connectivityFindings(context: ManagementContext, lookups: Lookups): Promise<Finding[]> {
  let client;
  try {
    client = lookups.apim(context);
  } catch (failure) {
    if (failure instanceof ApimNotConsulted) return [];
    if (failure instanceof ContextError) return [contextErrorFinding(failure)];
    throw failure;
  }
  try {
    await client.environment();
    return [];
  } catch (failure) {
    if (!(failure instanceof ApimError)) throw failure;
    const { status, kind } = failure.details;
    const where = `${client.target.baseUrl}`;
    if (status === 401 || status === 403)
      return [error('spec.auth', `APIM at ${where} refuses these credentials (${status})`)];
    if (status === 404)
      return [
        error(
          'spec.environmentId',
          `APIM at ${where} has no environment ${client.target.environmentId} in organization ${client.target.organizationId}`,
        ),
      ];
    if (status === 400)
      return [error('spec', `APIM at ${where} refuses the request: ${failure.details.apimMessage ?? failure.message}`)];
    return [
      warning(
        'spec.baseUrl',
        `APIM cannot be reached at ${where} (${kind === 'http' ? `answered ${status}` : kind}); the context is admitted, and used once APIM answers`,
      ),
    ];
  }
}

/** A context that cannot be used, at the field that says why. */
function contextErrorFinding(failure: ContextError): Finding {
  const message = failure.message.slice(failure.field.length + 2);
  return failure.missing ? missingObject(failure.field, failure.missing, message) : error(failure.field, message);
}

export const managementContext: KindAdmission = {
  kind: 'ManagementContext',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  async validate(input, lookups) {
    const context = input.object as ManagementContext;
    const { namespace, name } = input;
    if (input.operation === 'DELETE') {
      return deleteGuard(
        contextUsers(lookups, `${namespace}/${name}`),
        'delete them or point them to another context first',
      );
    }
    const findings = templateFindings(context.spec, namespace, lookups);
    if (findings.some((f) => f.severity === 'error')) return findings;
    if (context.spec.cloud && context.spec.auth)
      findings.push(warning('spec.auth', 'auth is not used by Gravitee Cloud contexts: the cloud token authenticates'));
    findings.push(
      ...(await connectivityFindings({ ...context, spec: compiledSpec(context.spec, namespace, lookups) }, lookups)),
    );
    return findings;
  },

  // Gravitee Cloud contexts: what the token says is written into the spec, so that it shows.
  mutates: ['CREATE', 'UPDATE'],
  mutate(input, lookups) {
    const context = input.object as ManagementContext;
    // Mutation comes before the schema check: anything but the expected shape is left to that check.
    const cloud: unknown = (context.spec as ManagementContext['spec'] | undefined)?.cloud;
    if (typeof cloud !== 'object' || cloud === null) return { findings: [] };
    const read = dataLookup(lookups);
    try {
      const token = cloudToken(
        compiledSpec(context.spec, input.namespace, lookups),
        (ns, name, from) => read('Secret', ns, name, from),
        input.namespace,
      );
      const location = cloudLocation(parseCloudToken(token), context.spec.environmentId);
      const spec = {
        ...context.spec,
        baseUrl: context.spec.baseUrl || location.baseUrl,
        organizationId: location.organizationId,
        environmentId: location.environmentId,
      };
      return { object: { ...context, spec }, findings: [] };
    } catch (failure) {
      if (failure instanceof ContextError) return { findings: [contextErrorFinding(failure)] };
      if (failure instanceof CloudTokenError) return { findings: [error('spec.cloud', failure.message)] };
      throw failure;
    }
  },
};
