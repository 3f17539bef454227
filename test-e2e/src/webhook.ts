// The admission webhook, run as in a cluster: its own process, TLS from a certificate signed by a CA
// that the webhook configurations carry, a user with only the permissions the webhook needs. Each
// suite gets its own webhook, reached only for namespaces carrying its label, so suites running in
// parallel do not see each other's webhooks.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCertificateAuthority } from '@gko/kube/pki';
import { controllerRbacRules, ingressControllerRbacRules } from '@gko/controller';
import { RECOMMENDED_NODE_OPTIONS } from '@gko/operator';
import { webhookConfigurations, webhookIngressRbacRules, webhookRbacRules } from '@gko/webhook/configuration';
import { programArgs, type ProgramForm } from './programs.ts';
import { writeUserKubeconfig, type ControlPlaneInfo } from './control-plane.ts';
import { kubectl, kubectlOk } from './kubectl.ts';
import { freePorts } from './ports.ts';
import { get } from './probe.ts';
import { logTail, startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import { attachRun } from './run-registry.ts';

export const WEBHOOK_LABEL = 'gko-e2e/webhook';

export interface RunningWebhook {
  /** Label namespaces with { [WEBHOOK_LABEL]: id } to send their objects to this webhook. */
  id: string;
  labels: Record<string, string>;
  /** The HTTPS port it listens on (127.0.0.1). */
  port: number;
  process: ManagedProcess;
  metricsUrl: string;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export async function startWebhook(
  cluster: ControlPlaneInfo,
  options: {
    env?: Record<string, string>;
    /** `operator`: the operator program serving the webhook and running the controllers, in one process. */
    program?: 'webhook' | 'operator';
    /** Run the program built as JavaScript (see buildJavaScript) rather than from its sources. */
    form?: ProgramForm;
    /**
     * The webhook issues its own certificate into this Secret (created empty in `namespace` if
     * missing) and injects its CA into configurations named `configurationName` (shared by the
     * webhooks given the same one). The API server reaches it as https://localhost:<port>, a name
     * the certificate holds when the service name is "localhost".
     */
    selfManagedCertificate?: {
      namespace: string;
      secretName: string;
      configurationName: string;
      validitySeconds: number;
    };
  } = {},
): Promise<RunningWebhook> {
  const combined = options.program === 'operator';
  const ingress = options.env?.['ENABLE_INGRESS'] === 'true';
  const publishService = options.env?.['INGRESS_PUBLISH_SERVICE']?.split('/').pop();
  const id = `w${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const run = attachRun(cluster.runDir);
  const dir = join(cluster.runDir, `webhook-${id}`);
  await mkdir(dir, { recursive: true });

  const selfManaged = options.selfManagedCertificate;
  // Serving certificate, as cert-manager would provide it (the self-managed mode writes its own).
  const ca = await createCertificateAuthority({ commonName: `webhook-ca-${id}`, validityDays: 1 });
  if (!selfManaged) {
    const serving = await ca.issue({
      commonName: 'gko-webhook',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
      validityDays: 1,
    });
    await writeFile(join(dir, 'tls.crt'), serving.certPem);
    await writeFile(join(dir, 'tls.key'), serving.keyPem, { mode: 0o600 });
  }

  // Least privilege: the webhook's user may only read what the webhook reads.
  const user = `gko-webhook-${id}`;
  const rbac = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: user },
      rules: [
        ...webhookRbacRules(),
        ...(combined ? controllerRbacRules() : []),
        ...(ingress ? webhookIngressRbacRules() : []),
        ...(ingress && combined ? ingressControllerRbacRules() : []),
        // As the chart grants it: the one gateway Service whose address goes to Ingress statuses.
        ...(publishService && combined
          ? [{ apiGroups: [''], resources: ['services'], resourceNames: [publishService], verbs: ['get'] }]
          : []),
        ...(selfManaged ? selfManagedCertificateRules(selfManaged.secretName, selfManaged.configurationName) : []),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: user },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ];
  await kubectlOk(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rbac }),
  });
  const kubeconfig = await writeUserKubeconfig(cluster, user);

  const [port, metricsPort] = (await freePorts(2)) as [number, number];
  const configurationName = selfManaged?.configurationName ?? `gko-e2e-${id}`;
  const { validating, mutating } = webhookConfigurations({
    name: configurationName,
    target: { url: selfManaged ? `https://localhost:${port}` : `https://127.0.0.1:${port}` },
    ...(selfManaged ? {} : { caBundle: ca.certPem }),
    namespaceSelector: { matchLabels: { [WEBHOOK_LABEL]: id } },
    ...(options.env?.['NAMESPACE'] ? { namespaces: options.env['NAMESPACE'].split(',') } : {}),
  });
  if (selfManaged) {
    // As the chart does: the Secret and configurations exist before the webhook fills them in.
    await kubectlOk(cluster, ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: selfManaged.secretName, namespace: selfManaged.namespace },
            type: 'Opaque',
          },
        ],
      }),
    });
    await kubectl(cluster, ['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [validating, mutating] }),
    });
  }
  const process = await startProcess(run, {
    name: `webhook-${id}`,
    binary: globalThis.process.execPath,
    args: combined
      ? [...programArgs('operator', options.form), '--webhook', '--controllers']
      : programArgs('webhook', options.form),
    env: {
      KUBECONFIG: kubeconfig,
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_SERVICE_PORT: String(port),
      METRICS_PORT: String(metricsPort),
      WEBHOOK_TLS_CERT_FILE: join(dir, 'tls.crt'),
      WEBHOOK_TLS_KEY_FILE: join(dir, 'tls.key'),
      ...(selfManaged
        ? {
            WEBHOOK_CERT_SECRET_NAME: selfManaged.secretName,
            WEBHOOK_NAMESPACE: selfManaged.namespace,
            WEBHOOK_SERVICE_NAME: 'localhost',
            WEBHOOK_VALIDATING_CONFIGURATION_NAME: selfManaged.configurationName,
            WEBHOOK_MUTATING_CONFIGURATION_NAME: selfManaged.configurationName,
            WEBHOOK_CERT_VALIDITY_SECONDS: String(selfManaged.validitySeconds),
          }
        : {}),
      LOGS_LEVEL: 'debug',
      WEBHOOK_SHUTDOWN_DRAIN_SECONDS: '1',
      ...(combined
        ? { PROBES_PORT: String(metricsPort), NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS, DRIFT_REPAIR_PERIOD_SECONDS: '0' }
        : {}),
      ...options.env,
    },
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  await waitUntilReady(process, async () => (await get(`${metricsUrl}/readyz`)).status === 200, 60_000);

  if (!selfManaged)
    await kubectlOk(cluster, ['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [validating, mutating] }),
    });

  return {
    id,
    labels: { [WEBHOOK_LABEL]: id },
    port,
    process,
    metricsUrl,
    logs: () => logTail(process, 200),
    async stop() {
      await kubectl(cluster, [
        'delete',
        'validatingwebhookconfiguration,mutatingwebhookconfiguration',
        configurationName,
        '--ignore-not-found',
      ]);
      await kubectl(cluster, ['delete', 'clusterrolebinding,clusterrole', user, '--ignore-not-found']);
      await process.stop();
    },
  };
}

/** What a self-managed webhook writes: its own Secret, and the caBundle of its own configurations. */
function selfManagedCertificateRules(secretName: string, configurationName: string) {
  return [
    { apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: ['get', 'update'] },
    {
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
      resourceNames: [configurationName],
      verbs: ['get', 'update'],
    },
  ];
}

/**
 * Repeats a kubectl call until its result is accepted: the webhook's cache follows the cluster
 * closely, but an object created a moment ago may not be in it yet.
 */
export async function retryUntil<R>(attempt: () => Promise<R>, accept: (result: R) => boolean, tries = 20): Promise<R> {
  let result = await attempt();
  for (let i = 1; i < tries && !accept(result); i++) {
    await sleep(300);
    result = await attempt();
  }
  return result;
}
