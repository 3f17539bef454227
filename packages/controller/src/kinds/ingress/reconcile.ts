// The reconciler of an Ingress of a handled class: its routes and template make an ApiDefinition,
// which the ApiDefinition controller then deploys like any other; its TLS Secrets are checked (the
// registries are written by the PEM registry reconciler); its status gets the gateways' address.
// Whatever stops it is an Event on the Ingress, whose reason says what to fix. An Ingress of any
// other class is never read further: the only write for it is the removal of an API generated while
// it was of a handled class.
import { isHandledIngress, isIngressTemplate, templateNameOf, type ApiDefinition } from '@gko/api';
import { INGRESSES, KubeApiError, removeFinalizers, writeStatus } from '@gko/kube';
import { jsonEqual } from '@gko/runtime';
import type { ObjectKey, ReconcileContext, Reconciler } from '../../reconcile/contract.ts';
import type { Outcome } from '../../reconcile/result.ts';
import { DEFAULT_NOT_FOUND, ingressApiDefinition, type NotFoundResponse } from './api-definition.ts';
import { deleteGeneratedApi, generatedApi, writeGeneratedApi, type GeneratedApi } from './generated-api.ts';
import { tlsSecretsOf, type Ingress, type IngressLoadBalancerIngress } from './ingress.ts';
import { pemRegistries, registryServes } from './pem-registry.ts';
import { ingressRoutes } from './routes.ts';
import type { IngressSettings } from './settings.ts';
import type { KeyPairChecks } from './tls.ts';
import { ingressClassOf } from '@gko/api';

export interface IngressReconcilerDeps {
  settings: IngressSettings;
  keyPairs: KeyPairChecks;
  /** The addresses to publish in the status, or undefined to leave the status alone. */
  addresses: () => IngressLoadBalancerIngress[] | undefined;
}

/** Stops this reconcile with an Event; terminal ones wait for a change of the Ingress or of what it names. */
class IngressProblem extends Error {
  readonly reason: string;
  readonly terminal: boolean;
  constructor(reason: string, message: string, terminal: boolean) {
    super(message);
    this.name = reason;
    this.reason = reason;
    this.terminal = terminal;
  }
}

const done: Outcome = { kind: 'done' };

/**
 * What the API server says when the generated API itself is refused (invalid, denied by the webhook,
 * not allowed): only a change can help. Anything else (throttling, a conflict, an object gone
 * meanwhile) is retried.
 */
const REFUSALS = [400, 403, 422];

/**
 * Upstream's operator holds the Ingresses it handles with this finalizer. Nothing here needs it (owner
 * references remove the API, the registries are recomputed from the Ingresses that remain), so it is
 * released: left alone, it would keep every deleted Ingress after a take-over.
 */
export const UPSTREAM_INGRESS_FINALIZER = 'finalizers.gravitee.io/ingress';

export function ingressReconciler(deps: IngressReconcilerDeps): Reconciler {
  // Warnings already said for a generation of an Ingress, so that each is said once.
  const warned = new Map<string, string>();

  return async (key: ObjectKey, context: ReconcileContext): Promise<Outcome> => {
    const ingress = context.cache.get('Ingress', key.namespace, key.name) as Ingress | undefined;
    if (
      ingress?.metadata.finalizers?.includes(UPSTREAM_INGRESS_FINALIZER) &&
      isHandledIngress(ingress, deps.settings.classes)
    ) {
      await removeFinalizers(context.kube, INGRESSES, ingress, [UPSTREAM_INGRESS_FINALIZER]);
      context.logger.info('released the finalizer of upstream operator');
    }
    if (!ingress || ingress.metadata.deletionTimestamp || !isHandledIngress(ingress, deps.settings.classes)) {
      warned.delete(`${key.namespace}/${key.name}`);
      // Owner references remove the API of a deleted Ingress; one that changed class is let go here.
      const leftover = generatedApi(context.cache, key.namespace, key.name, ingress?.metadata.uid);
      if (leftover && ingress && !ingress.metadata.deletionTimestamp) {
        await deleteGeneratedApi(context.kube, leftover);
        context.logger.info('no longer of a handled class: its API is removed', { class: ingressClassOf(ingress) });
      }
      return done;
    }
    try {
      return await sync(ingress, context);
    } catch (error) {
      const problem =
        error instanceof IngressProblem
          ? error
          : error instanceof KubeApiError && REFUSALS.includes(error.status)
            ? new IngressProblem('ApiRefused', `the generated ApiDefinition was refused: ${error.message}`, true)
            : undefined;
      if (!problem) throw error;
      context.logger.warn('ingress not synchronised', { reason: problem.reason, error: problem.message });
      await context.events.record(ingress, 'Warning', problem.reason, problem.message, 'Sync');
      return { kind: 'failed', error: problem, terminal: problem.terminal };
    }
  };

  async function sync(ingress: Ingress, context: ReconcileContext): Promise<Outcome> {
    const { namespace = '', name, uid } = ingress.metadata;
    const routes = ingressRoutes(ingress);
    await warnOnce(ingress, routes.warnings, context);
    if (routes.problems.length > 0) throw new IngressProblem('UnsupportedIngress', routes.problems.join('; '), true);
    const template = findTemplate(ingress, context);
    const desired = ingressApiDefinition({ ingress, routes, template, notFound: notFound(context) });
    const stored = context.cache.get('ApiDefinition', namespace, name) as GeneratedApi | undefined;
    if (stored && generatedApi(context.cache, namespace, name) && !generatedApi(context.cache, namespace, name, uid))
      throw new IngressProblem(
        'PreviousApiPending',
        `ApiDefinition ${namespace}/${name} still belongs to an earlier Ingress of the same name; waiting for it to be deleted`,
        false,
      );
    if (stored && !generatedApi(context.cache, namespace, name, uid))
      throw new IngressProblem(
        'ApiConflict',
        `ApiDefinition ${namespace}/${name} exists and was not generated for this Ingress: rename one of them`,
        true,
      );
    const written = await writeGeneratedApi(context.kube, desired, stored);
    if (written !== 'unchanged') {
      const message = `ApiDefinition ${namespace}/${name} ${written}${template ? ` from template ${template.metadata.name}` : ''}`;
      context.logger.info('synchronised', { summary: message });
      await context.events.record(ingress, 'Normal', 'Synced', message, 'Sync');
    }
    await publishAddress(ingress, context);
    checkTls(ingress, context);
    return done;
  }

  function findTemplate(ingress: Ingress, context: ReconcileContext): ApiDefinition | undefined {
    const name = templateNameOf(ingress);
    if (!name) return undefined;
    const namespace = ingress.metadata.namespace ?? '';
    const template = context.cache.get('ApiDefinition', namespace, name) as ApiDefinition | undefined;
    if (!template)
      throw new IngressProblem(
        'TemplateNotFound',
        `annotation gravitee.io/template: ApiDefinition ${namespace}/${name} does not exist`,
        false,
      );
    if (!isIngressTemplate(template))
      throw new IngressProblem(
        'NotATemplate',
        `annotation gravitee.io/template: ApiDefinition ${namespace}/${name} is not a template (it needs the annotation gravitee.io/template: "true")`,
        true,
      );
    return template;
  }

  function notFound(context: ReconcileContext): NotFoundResponse {
    const ref = deps.settings.notFound;
    if (!ref) return DEFAULT_NOT_FOUND;
    const found = context.cache.get('ConfigMap', ref.namespace, ref.name) as
      { data?: Record<string, string> } | undefined;
    // Missing: the default answer, until it appears (its arrival re-synchronises every Ingress).
    return {
      content: found?.data?.['content'] ?? DEFAULT_NOT_FOUND.content,
      contentType: found?.data?.['contentType'] ?? DEFAULT_NOT_FOUND.contentType,
    };
  }

  /** Secrets that cannot be served, and a missing registry, are errors; the API itself is already written. */
  function checkTls(ingress: Ingress, context: ReconcileContext): void {
    const secrets = tlsSecretsOf(ingress);
    if (secrets.length === 0) return;
    const failures = secrets.map((id) => {
      const [namespace = '', name = ''] = id.split('/');
      return deps.keyPairs.check(context.cache.get('Secret', namespace, name), id);
    });
    // Retried: the Secret may come, or be read at the next attempt.
    const missing = failures.find(
      (v) => !v.ok && (v.reason === 'TLSSecretNotFound' || v.reason === 'TLSSecretNotRead'),
    );
    if (missing && !missing.ok) throw new IngressProblem(missing.reason, `spec.tls: ${missing.message}`, false);
    const invalid = failures.find((v) => !v.ok);
    if (invalid && !invalid.ok) throw new IngressProblem(invalid.reason, `spec.tls: ${invalid.message}`, true);
    const ingressClass = ingressClassOf(ingress);
    const registry = pemRegistries(context.cache).some((c) => registryServes(c, ingressClass));
    if (!registry)
      throw new IngressProblem(
        'PemRegistryNotFound',
        `spec.tls: no ConfigMap labelled gravitee.io/component=kubernetes-pem-registry serves class ${ingressClass}: the gateways cannot be given the certificates`,
        false,
      );
  }

  async function publishAddress(ingress: Ingress, context: ReconcileContext): Promise<void> {
    const addresses = deps.addresses();
    if (!addresses) return;
    if (jsonEqual(ingress.status?.loadBalancer?.ingress ?? [], addresses)) return;
    await writeStatus(context.kube, INGRESSES, ingress, { ...ingress.status, loadBalancer: { ingress: addresses } });
  }

  async function warnOnce(ingress: Ingress, warnings: string[], context: ReconcileContext): Promise<void> {
    const id = `${ingress.metadata.namespace}/${ingress.metadata.name}`;
    const said = `${ingress.metadata.uid}@${ingress.metadata.generation}|${warnings.join(';')}`;
    if (warnings.length === 0 || warned.get(id) === said) return;
    warned.set(id, said);
    for (const warning of warnings) await context.events.record(ingress, 'Warning', 'IgnoredField', warning, 'Sync');
  }
}
