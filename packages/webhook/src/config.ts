// The webhook's settings, from its environment. Names follow the upstream operator where it has
// the same setting, so that existing configurations carry over.
import { DEFAULT_INGRESS_CLASSES } from '@gko/api';
import { booleanSetting, integerSetting, listSetting, podNamespace, SettingError } from '@gko/runtime';

export interface WebhookConfig {
  host: string;
  port: number;
  metricsPort: number;
  tlsCertFile: string;
  tlsKeyFile: string;
  /** When set, only callers with a client certificate signed by this CA are answered (kube-apiserver). */
  clientCaFile?: string;
  /** Watched namespaces; all when empty. */
  namespaces: string[];
  contextPathScope: 'namespace' | 'cluster';
  /** The Ingress classes handled (ENABLE_INGRESS, INGRESS_CLASSES): templates in use are kept. */
  ingressClasses?: string[];
  timeoutSeconds: number;
  apimTimeoutSeconds: number;
  /** Calls in flight at once to one APIM; a bounded number more may wait (see program.ts). */
  apimMaxConcurrency: number;
  insecureSkipVerify: boolean;
  caBundleFile?: string;
  proxy?: { url: string; username?: string; password?: string } | { system: true };
  logLevel: string;
  /**
   * On shutdown, how long the server goes on answering (while no longer ready) before it stops: the
   * time for the API server to drop this replica from the webhook Service's endpoints.
   */
  shutdownDrainMs: number;
  /** Set when the webhook issues its own certificates (WEBHOOK_CERT_SECRET_NAME, as upstream). */
  selfManagedCertificate?: {
    namespace: string;
    secretName: string;
    serviceName: string;
    validatingConfigurationName: string;
    mutatingConfigurationName: string;
    servingValidityMs: number;
  };
}

export { SettingError as ConfigError } from '@gko/runtime';

const integer = integerSetting;
const flag = (env: NodeJS.ProcessEnv, name: string) => booleanSetting(env, name, false);

function selfManagedCertificate(env: NodeJS.ProcessEnv): WebhookConfig['selfManagedCertificate'] {
  const secretName = env['WEBHOOK_CERT_SECRET_NAME'];
  if (!secretName) return undefined;
  const namespace = env['WEBHOOK_NAMESPACE'] || podNamespace(env);
  const required = (name: string) => {
    const value = env[name];
    if (!value)
      throw new SettingError(`${name} must be set when WEBHOOK_CERT_SECRET_NAME is (self-managed certificates)`);
    return value;
  };
  if (!namespace)
    throw new SettingError(
      'WEBHOOK_NAMESPACE must be set when WEBHOOK_CERT_SECRET_NAME is (self-managed certificates)',
    );
  return {
    namespace,
    secretName,
    serviceName: required('WEBHOOK_SERVICE_NAME'),
    validatingConfigurationName: required('WEBHOOK_VALIDATING_CONFIGURATION_NAME'),
    mutatingConfigurationName: required('WEBHOOK_MUTATING_CONFIGURATION_NAME'),
    // A year by default; renewed when a third is left.
    servingValidityMs: integer(env, 'WEBHOOK_CERT_VALIDITY_SECONDS', 365 * 24 * 3600, 60, 10 * 365 * 24 * 3600) * 1000,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const certDir = env['WEBHOOK_CERT_DIR'] ?? '/tmp/k8s-webhook-server/serving-certs';
  const scope =
    env['CONTEXT_PATH_SCOPE'] ?? (flag(env, 'CHECK_API_CONTEXT_PATH_CONFLICT_IN_CLUSTER') ? 'cluster' : 'namespace');
  if (scope !== 'namespace' && scope !== 'cluster')
    throw new SettingError(`CONTEXT_PATH_SCOPE must be namespace or cluster, not ${scope}`);
  const timeoutSeconds = integer(env, 'WEBHOOK_TIMEOUT_SECONDS', 10, 2, 30);
  let proxy: WebhookConfig['proxy'];
  if (flag(env, 'HTTP_CLIENT_PROXY_USE_SYSTEM_PROXY')) proxy = { system: true };
  else if (env['HTTP_CLIENT_PROXY_URL']) {
    proxy = {
      url: env['HTTP_CLIENT_PROXY_URL'],
      ...(env['HTTP_CLIENT_PROXY_USERNAME'] ? { username: env['HTTP_CLIENT_PROXY_USERNAME'] } : {}),
      ...(env['HTTP_CLIENT_PROXY_PASSWORD'] ? { password: env['HTTP_CLIENT_PROXY_PASSWORD'] } : {}),
    };
  }
  const certificate = selfManagedCertificate(env);
  const ingressClasses = listSetting(env, 'INGRESS_CLASSES');
  return {
    host: env['WEBHOOK_HOST'] ?? '0.0.0.0',
    port: integer(env, 'WEBHOOK_SERVICE_PORT', 9443, 0, 65535),
    metricsPort: integer(env, 'METRICS_PORT', 8080, 0, 65535),
    tlsCertFile: env['WEBHOOK_TLS_CERT_FILE'] ?? `${certDir}/tls.crt`,
    tlsKeyFile: env['WEBHOOK_TLS_KEY_FILE'] ?? `${certDir}/tls.key`,
    ...(env['WEBHOOK_CLIENT_CA_FILE'] ? { clientCaFile: env['WEBHOOK_CLIENT_CA_FILE'] } : {}),
    namespaces: listSetting(env, 'NAMESPACE'),
    contextPathScope: scope,
    ...(flag(env, 'ENABLE_INGRESS')
      ? { ingressClasses: ingressClasses.length > 0 ? ingressClasses : [...DEFAULT_INGRESS_CLASSES] }
      : {}),
    timeoutSeconds,
    // The calls to APIM must fit in the admission deadline, with time to spare.
    apimTimeoutSeconds: Math.min(
      integer(env, 'HTTP_CLIENT_TIMEOUT_SECONDS', 5, 1, 60),
      Math.max(1, timeoutSeconds - 3),
    ),
    apimMaxConcurrency: integer(env, 'HTTP_CLIENT_MAX_CONCURRENCY', 8, 1, 256),
    insecureSkipVerify: flag(env, 'HTTP_CLIENT_INSECURE_SKIP_CERT_VERIFY'),
    ...(env['HTTP_CLIENT_TRUSTSTORE_PATH'] ? { caBundleFile: env['HTTP_CLIENT_TRUSTSTORE_PATH'] } : {}),
    ...(proxy ? { proxy } : {}),
    logLevel: env['LOGS_LEVEL'] ?? 'info',
    shutdownDrainMs: integer(env, 'WEBHOOK_SHUTDOWN_DRAIN_SECONDS', 5, 0, 120) * 1000,
    ...(certificate ? { selfManagedCertificate: certificate } : {}),
  };
}
