// Asks APIM to dry-run the import of an object: what APIM refuses denies the request, what it warns
// about becomes an admission warning. When APIM cannot answer, the object is admitted with a warning
// (it will be checked again when synchronised) rather than blocking every apply while APIM is down.
import type { ManagementContext } from '@gko/api';
import { ApimError, ContextError, IdentityConflictError, UnresolvedReferenceError, type ApimClient } from '@gko/mapi';
import { ApimNotConsulted, error, hasErrors, warning, type Finding, type Lookups } from './rule.ts';
import { compiled } from './templates.ts';

export interface DryRunAnswer {
  errors?: { severe?: string[]; warning?: string[] };
}

/**
 * The findings so far, then APIM's answer to the dry run when the object has a context and nothing
 * found so far is an error: APIM is not asked about an object that is refused anyway.
 */
export async function withDryRun(
  findings: Finding[],
  context: ManagementContext | undefined,
  lookups: Lookups,
  call: (client: ApimClient) => Promise<DryRunAnswer | undefined>,
): Promise<Finding[]> {
  if (!context || hasErrors(findings)) return findings;
  return [...findings, ...(await dryRun(context, lookups, call))];
}

export async function dryRun(
  context: ManagementContext,
  lookups: Lookups,
  call: (client: ApimClient) => Promise<DryRunAnswer | undefined>,
): Promise<Finding[]> {
  const where = `ManagementContext ${context.metadata.namespace}/${context.metadata.name}`;
  let client: ApimClient;
  try {
    client = lookups.apim(compiled(context, context.metadata.namespace ?? '', lookups));
  } catch (failure) {
    if (failure instanceof ApimNotConsulted) return [];
    if (failure instanceof ContextError) {
      const finding = error('spec.contextRef', `${where} cannot be used: ${failure.message}`);
      return [failure.missing ? { ...finding, missing: failure.missing } : finding];
    }
    throw failure;
  }
  try {
    const answer = await call(client);
    return [
      ...(answer?.errors?.severe ?? []).map((m) => error('spec', `APIM refuses it: ${m}`)),
      ...(answer?.errors?.warning ?? []).map((m) => warning('spec', `APIM: ${m}`)),
    ];
  } catch (failure) {
    if (failure instanceof UnresolvedReferenceError || failure instanceof IdentityConflictError)
      return [error(failure.field, failure.message.slice(failure.field.length + 2))];
    if (!(failure instanceof ApimError)) throw failure;
    const { status } = failure.details;
    if (status === 401 || status === 403)
      return [error('spec.contextRef', `${where} is refused by APIM (${status}): check its credentials`)];
    if (status === 404)
      return [error('spec.contextRef', `${where}: APIM does not know its organization or environment`)];
    if (status === 400) return [error('spec', `APIM refuses it: ${failure.details.apimMessage ?? failure.message}`)];
    return [
      warning(
        'spec',
        `APIM could not check it (${failure.details.kind === 'http' ? `answered ${status}` : failure.details.kind}); it will be checked when synchronised`,
      ),
    ];
  }
}
