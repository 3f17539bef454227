// Generates the parts of the Helm chart (charts/gko/files/) that come from the registries driving the
// programs, so that the chart can never disagree with them: the webhooks of each kind (rules, paths,
// operations), the RBAC rules of the controllers and of the webhook (what the Ingress controller adds to
// each in files of their own, granted only when it is enabled), and the names of our CRDs. The chart's
// templates add what depends on the install (names, Service, scope, caBundle).
//   node packages/operator/scripts/generate-chart.ts [--check]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GROUP, KINDS } from '@gko/api';
import { writeOrCheck, type GeneratedFile } from '@gko/api/generation';
import { controllerRbacRules, ingressControllerRbacRules } from '@gko/controller';
import { webhookConfigurations, webhookIngressRbacRules, webhookRbacRules } from '@gko/webhook/configuration';
import { DEFAULT_LEASE_NAME } from '../src/config.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const filesDir = join(repoRoot, 'charts', 'gko', 'files');

interface Webhook {
  name: string;
  clientConfig: { service: { path: string } };
  [field: string]: unknown;
}

/** A webhook without what the chart sets per install; its path is kept beside its name. */
function chartWebhook(webhook: Webhook): Record<string, unknown> {
  const { name, clientConfig, namespaceSelector: _selector, timeoutSeconds: _timeout, ...rest } = webhook;
  return { name, path: clientConfig.service.path, ...rest };
}

const { validating, mutating } = webhookConfigurations({
  name: 'generated',
  target: { service: { namespace: 'generated', name: 'generated', port: 443 } },
});
const webhooks = (configuration: Record<string, unknown>) => (configuration['webhooks'] as Webhook[]).map(chartWebhook);

const isLeaseRule = (rule: { apiGroups: string[] }) => rule.apiGroups.includes('coordination.k8s.io');
// Namespaces are cluster-scoped: a Role or a RoleBinding cannot grant them.
const isNamespaceRule = (rule: { resources: string[] }) => rule.resources.includes('namespaces');
const content: Record<string, unknown> = {
  'validating-webhooks.json': webhooks(validating),
  'mutating-webhooks.json': webhooks(mutating),
  // The leader Lease lives in the release namespace: its rule goes to a Role of its own.
  'controller-rules.json': controllerRbacRules().filter((rule) => !isLeaseRule(rule)),
  // Creating cannot be limited to a name; reading and renewing can (the chart keeps the default id).
  'leader-election-rules.json': [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [DEFAULT_LEASE_NAME],
      verbs: controllerRbacRules()
        .filter(isLeaseRule)
        .flatMap((rule) => rule.verbs)
        .filter((verb) => verb !== 'create'),
    },
  ],
  'webhook-rules.json': webhookRbacRules().filter((rule) => !isNamespaceRule(rule)),
  'webhook-namespace-rules.json': webhookRbacRules().filter(isNamespaceRule),
  // Added to the two roles above, in the same scope, when ingress.controller.enabled.
  'ingress-controller-rules.json': ingressControllerRbacRules(),
  'ingress-webhook-rules.json': webhookIngressRbacRules(),
  'crd-names.json': KINDS.map((kind) => `${kind.plural}.gravitee.io`),
};
const files: GeneratedFile[] = Object.entries(content).map(([name, value]) => ({
  path: join(filesDir, name),
  content: `${JSON.stringify(value, null, 2)}\n`,
}));

// Argo CD's health checks of our kinds: the one script (docs/argocd/health.lua) under each kind's key,
// as a patch of the argocd-cm ConfigMap.
const argoDir = join(repoRoot, 'charts', 'gko', 'docs', 'argocd');
const healthScript = readFileSync(join(argoDir, 'health.lua'), 'utf8');
const argoConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-cm', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'argocd' } },
  data: Object.fromEntries(KINDS.map((kind) => [`resource.customizations.health.${GROUP}_${kind.kind}`, healthScript])),
};
// JSON, which kubectl reads as YAML: kubectl -n argocd patch configmap argocd-cm --patch-file argocd-cm.json
files.push({ path: join(argoDir, 'argocd-cm.json'), content: `${JSON.stringify(argoConfigMap, null, 2)}\n` });

const ok = await writeOrCheck(files, {
  check: process.argv.includes('--check'),
  owned: [
    { dir: filesDir, pattern: /\.json$/ },
    { dir: argoDir, pattern: /\.json$/ },
  ],
  root: repoRoot,
  regenerateWith: 'pnpm generate',
});
if (!ok) process.exitCode = 1;
