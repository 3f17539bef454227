// The admission webhook as a part of a program: given the settings, a cache that follows the cluster
// and a metrics registry, it serves AdmissionReviews over TLS until closed. The webhook's own
// entry point (main.ts) and the operator program (controllers and webhook in one process) both run it.
import { readFileSync } from 'node:fs';
import type { KubeConnection } from '@gko/kube';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@gko/runtime';
import type { Registry } from 'prom-client';
import type { WebhookConfig } from './config.ts';
import { ClusterLookups, type IndexedCache } from './lookups/cluster-lookups.ts';
import { ADMISSION_INDEXES } from './rules/indexes.ts';
import { webhookMetrics } from './server/metrics.ts';
import { startWebhookServer } from './server/webhook-server.ts';
import { defaultCaValidityMs, serviceDnsNames } from './certificates/plan.ts';
import { SelfManagedCertificates } from './certificates/self-managed.ts';

export interface RunningWebhookServer {
  port: number;
  /** Stops accepting requests; those in flight are answered within graceMs. */
  close(graceMs?: number): Promise<void>;
}

export async function runWebhook(options: {
  config: WebhookConfig;
  /**
   * Follows our kinds (Secrets and ConfigMaps are read per request, from `connection`); not started
   * yet, so that the indexes the rules read are installed before its first list.
   */
  cache: IndexedCache & { addIndex(kind: string, name: string, values: (object: KubernetesObject) => string[]): void };
  connection: KubeConnection;
  registry: Registry;
  logger: Logger;
  /** Whether the caches are ready to answer from. */
  ready: () => boolean;
}): Promise<RunningWebhookServer> {
  const { config, cache, registry, logger } = options;
  const metrics = webhookMetrics(registry);
  for (const index of ADMISSION_INDEXES) cache.addIndex(index.kind, index.name, index.values);
  const lookups = new ClusterLookups(
    cache,
    options.connection,
    {
      contextPathScope: config.contextPathScope,
      ...(config.ingressClasses ? { ingressClasses: config.ingressClasses } : {}),
    },
    {
      timeoutMs: config.apimTimeoutSeconds * 1000,
      maxAttempts: 2,
      maxConcurrency: config.apimMaxConcurrency,
      // Admission cannot wait long: beyond this, a request gets its warning at once.
      maxQueued: config.apimMaxConcurrency * 4,
      insecureSkipVerify: config.insecureSkipVerify,
      ...(config.caBundleFile ? { caBundle: readFileSync(config.caBundleFile, 'utf8') } : {}),
      ...(config.proxy ? { proxy: config.proxy } : {}),
      logger,
      onAttempt: (a) =>
        metrics.apimAttempts.inc({ method: a.method, outcome: a.status ? String(a.status) : (a.error ?? 'unknown') }),
    },
  );
  // Self-managed certificates: the files exist (and the caBundles are set) before the server starts.
  const certificates = config.selfManagedCertificate
    ? new SelfManagedCertificates(
        options.connection,
        {
          namespace: config.selfManagedCertificate.namespace,
          secretName: config.selfManagedCertificate.secretName,
          validatingConfigurationName: config.selfManagedCertificate.validatingConfigurationName,
          mutatingConfigurationName: config.selfManagedCertificate.mutatingConfigurationName,
          policy: {
            dnsNames: serviceDnsNames(
              config.selfManagedCertificate.serviceName,
              config.selfManagedCertificate.namespace,
            ),
            servingValidityMs: config.selfManagedCertificate.servingValidityMs,
            caValidityMs: defaultCaValidityMs(config.selfManagedCertificate.servingValidityMs),
          },
          files: { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile },
          // Often enough that every replica takes a renewal long before the old pair expires.
          checkEveryMs: Math.min(60_000, config.selfManagedCertificate.servingValidityMs / 20),
        },
        logger.child({ component: 'certificates' }),
      )
    : undefined;
  await certificates?.start();
  const server = await startWebhookServer({
    port: config.port,
    host: config.host,
    tls: { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile },
    ...(config.clientCaFile ? { clientCaFile: config.clientCaFile } : {}),
    lookups,
    logger,
    metrics,
    // Leave kube-apiserver time to receive the answer before its own timeout.
    deadlineMs: config.timeoutSeconds * 1000 - 1500,
    ready: options.ready,
  });
  return {
    port: server.port,
    async close(graceMs = 10_000) {
      await server.close(graceMs, config.shutdownDrainMs);
      await Promise.all([lookups.close(), certificates?.stop()]);
    },
  };
}
